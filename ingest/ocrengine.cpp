#include "ingest/ocrengine.h"

#include "ingest/pagegeometry.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <QDir>
#include <QFile>
#include <QTransform>

#include <algorithm>

namespace folio::ingest {

namespace {

// Where Tesseract looks for models when TESSDATA_PREFIX is not set (Debian's tesseract-ocr 5).
QString tessdataDir()
{
    const QString prefix = qEnvironmentVariable("TESSDATA_PREFIX");
    if (!prefix.isEmpty())
        return prefix;
    for (const char* dir : { "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata" }) {
        if (QDir(QString::fromLatin1(dir)).exists())
            return QString::fromLatin1(dir);
    }
    return QStringLiteral("/usr/share/tesseract-ocr/5/tessdata");
}

QString debianPackage(const QString& language)
{
    return QStringLiteral("tesseract-ocr-") + QString(language).replace(u'_', u'-').toLower();
}

// Below this OSD confidence an orientation other than upright is not trusted: text-poor pages
// (a logo, a photo) give low, arbitrary answers, and turning an upright page would ruin it.
constexpr float kMinOrientationConfidence = 2.0f;

struct MonitorContext {
    tesseract::ETEXT_DESC* monitor = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    const OcrProgress* progress = nullptr;
    int lastPercent = -1;
};

// Tesseract polls this during recognition; it is also where progress is read off the monitor.
bool pollMonitor(void* context, int /*words*/)
{
    auto* c = static_cast<MonitorContext*>(context);
    if (c->progress && *c->progress && c->monitor->progress != c->lastPercent) {
        c->lastPercent = c->monitor->progress;
        (*c->progress)(std::clamp(c->lastPercent, 0, 100));
    }
    return c->cancel && c->cancel->load();
}

void setImage(tesseract::TessBaseAPI& api, const QImage& grey, double dpi)
{
    api.SetImage(grey.constBits(), grey.width(), grey.height(), 1, static_cast<int>(grey.bytesPerLine()));
    api.SetSourceResolution(std::clamp(static_cast<int>(dpi + 0.5), 70, 2400));
}

} // namespace

struct OcrEngine::Apis {
    tesseract::TessBaseAPI text;
    tesseract::TessBaseAPI osd;
    bool hasOsd = false;
};

OcrEngine::OcrEngine(QString languages, std::unique_ptr<Apis> apis)
    : m_languages(std::move(languages))
    , m_apis(std::move(apis))
{
}

OcrEngine::~OcrEngine()
{
    m_apis->text.End();
    m_apis->osd.End();
}

QStringList OcrEngine::installedLanguages()
{
    QStringList languages;
    for (const QString& file : QDir(tessdataDir()).entryList({ QStringLiteral("*.traineddata") }, QDir::Files)) {
        const QString language = file.chopped(int(qstrlen(".traineddata")));
        if (language != QLatin1String("osd"))
            languages << language;
    }
    languages.sort();
    return languages;
}

QString OcrEngine::defaultLanguages()
{
    const QStringList installed = installedLanguages();
    QStringList chosen;
    for (const char* language : { "deu", "eng", "fra" }) {
        if (installed.contains(QLatin1String(language)))
            chosen << QString::fromLatin1(language);
    }
    return chosen.isEmpty() ? QStringLiteral("eng") : chosen.join(u'+');
}

QString OcrEngine::version()
{
    return QString::fromLatin1(tesseract::TessBaseAPI::Version());
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::open(const QString& languages)
{
    const QString dir = tessdataDir();
    const QStringList wanted = languages.split(u'+', Qt::SkipEmptyParts);
    if (wanted.isEmpty())
        return makeError("no OCR language given (use Tesseract codes such as eng, deu, fra, chi_sim, joined by +)");
    const QStringList installed = installedLanguages();
    for (const QString& language : wanted) {
        if (!installed.contains(language))
            return makeError(QStringLiteral("the OCR language \"%1\" is not installed in %2 (install the Debian "
                                            "package %3; installed: %4)")
                                 .arg(language, dir, debianPackage(language),
                                     installed.isEmpty() ? QStringLiteral("none") : installed.join(u' '))
                                 .toStdString());
    }
    auto apis = std::make_unique<Apis>();
    const QByteArray path = dir.toLocal8Bit();
    const QByteArray codes = wanted.join(u'+').toLatin1();
    if (apis->text.Init(path.constData(), codes.constData(), tesseract::OEM_LSTM_ONLY) != 0)
        return makeError(QStringLiteral("Tesseract could not load the OCR languages %1 from %2")
                             .arg(QString::fromLatin1(codes), dir)
                             .toStdString());
    // Tesseract's own stderr chatter ("Estimating resolution", "Empty page") is not for users.
    apis->text.SetVariable("debug_file", "/dev/null");
    apis->text.SetPageSegMode(tesseract::PSM_AUTO);
    apis->hasOsd = QFile::exists(dir + QStringLiteral("/osd.traineddata"))
        && apis->osd.Init(path.constData(), "osd", tesseract::OEM_TESSERACT_ONLY) == 0;
    if (apis->hasOsd) {
        apis->osd.SetVariable("debug_file", "/dev/null");
        apis->osd.SetPageSegMode(tesseract::PSM_OSD_ONLY);
    }
    return std::unique_ptr<OcrEngine>(new OcrEngine(QString::fromLatin1(codes), std::move(apis)));
}

Result<OcrPage> OcrEngine::recognize(const QImage& image, double dpi, bool detectOrientation,
                                     const OcrProgress& progress, const std::atomic<bool>* cancel)
{
    if (image.isNull() || image.width() < 3 || image.height() < 3)
        return makeError("the page image is empty");
    OcrPage page;
    QImage grey = image.convertToFormat(QImage::Format_Grayscale8);

    if (detectOrientation && m_apis->hasOsd) {
        setImage(m_apis->osd, grey, dpi);
        int orientDeg = 0;
        float orientConf = 0, scriptConf = 0;
        const char* script = nullptr;
        // Fails on pages with too little text to tell; they are taken as upright.
        if (m_apis->osd.DetectOrientationScript(&orientDeg, &orientConf, &script, &scriptConf)) {
            page.orientationConfidence = orientConf;
            // Tesseract reports the text's counter-clockwise turn; undoing it is a clockwise turn.
            const int upright = (360 - orientDeg) % 360;
            if (upright != 0 && orientConf >= kMinOrientationConfidence)
                page.orientation = upright;
        }
        m_apis->osd.Clear();
    }
    if (page.orientation != 0)
        grey = grey.transformed(QTransform().rotate(page.orientation));

    tesseract::TessBaseAPI& api = m_apis->text;
    setImage(api, grey, dpi);
    tesseract::ETEXT_DESC monitor;
    MonitorContext context { &monitor, cancel, &progress, -1 };
    monitor.cancel = &pollMonitor;
    monitor.cancel_this = &context;
    const int status = api.Recognize(&monitor);
    if (cancel && cancel->load()) {
        api.Clear();
        return makeError("OCR cancelled");
    }
    if (status != 0) {
        api.Clear();
        return makeError("Tesseract could not recognise the page image");
    }

    const double w = grey.width(), h = grey.height();
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    int line = -1;
    bool lineStarts = true;
    if (it) {
        do {
            // Lines are numbered by the words they hold: a line with no readable word is skipped.
            lineStarts = lineStarts || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
            const std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
            const QString word = text ? QString::fromUtf8(text.get()).trimmed() : QString();
            int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            if (word.isEmpty() || !it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1))
                continue;
            if (lineStarts)
                ++line;
            lineStarts = false;
            const QRectF upright(x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h);
            // The recognised image is the given one turned clockwise by `orientation`.
            page.words.push_back(Word { word, displayedToUnrotated(upright, page.orientation), line,
                std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0, 0.0, 1.0), WordSource::Ocr });
        } while (it->Next(tesseract::RIL_WORD));
    }
    if (progress)
        progress(100);
    api.Clear();
    return page;
}

} // namespace folio::ingest
