#include "ingest/pdfdocument.h"

#include "ingest/opaquergb.h"
#include "ingest/pagegeometry.h"

#include <poppler-qt6.h>

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QStringList>

#include <cmath>
#include <mutex>

namespace folio::ingest {

namespace {

    // Poppler reports parser problems through one global callback. Keep the messages of the
    // current thread so an error can say *why* a file failed, instead of spamming stderr.
    thread_local QStringList t_popplerMessages;

    void collectPopplerMessage(const QString& message, const QVariant&)
    {
        if (t_popplerMessages.size() < 20)
            t_popplerMessages << message.trimmed();
    }

    void installPopplerLogger()
    {
        static std::once_flag once;
        std::call_once(once, [] { Poppler::setDebugErrorFunction(collectPopplerMessage, QVariant()); });
    }

    QString popplerDetail()
    {
        if (t_popplerMessages.isEmpty())
            return {};
        return QStringLiteral(" (Poppler: %1)").arg(t_popplerMessages.first());
    }

    // What Poppler's render abort callback polls: the caller's cancel flag and the deadline.
    struct RenderStop {
        const std::atomic<bool>* cancel = nullptr;
        QDeadlineTimer deadline;
    };

    bool shouldAbort(const QVariant& closure)
    {
        const auto* stop = reinterpret_cast<const RenderStop*>(closure.value<quintptr>());
        return (stop->cancel && stop->cancel->load(std::memory_order_relaxed)) || stop->deadline.hasExpired();
    }

    Error fileError(const QString& path, const QString& what)
    {
        return makeError(QStringLiteral("%1: %2").arg(path, what).toStdString());
    }

} // namespace

PdfDocument::PdfDocument(QString path, std::unique_ptr<Poppler::Document> doc)
    : m_path(std::move(path))
    , m_doc(std::move(doc))
{
}

PdfDocument::~PdfDocument() = default;

Result<std::unique_ptr<PdfDocument>> PdfDocument::open(const QString& path, const QByteArray& password)
{
    installPopplerLogger();
    t_popplerMessages.clear();
    if (!QFileInfo(path).isReadable())
        return fileError(path, QStringLiteral("cannot read the file (missing or no permission)"));

    std::unique_ptr<Poppler::Document> doc = Poppler::Document::load(path, password, password);
    if (!doc)
        return fileError(path, QStringLiteral("not a readable PDF: damaged or truncated%1").arg(popplerDetail()));
    if (doc->isLocked()) {
        if (password.isEmpty())
            return fileError(path, QStringLiteral("the PDF is encrypted; give its password with --password"));
        return fileError(path, QStringLiteral("the PDF is encrypted and the password is wrong"));
    }
    if (doc->numPages() <= 0)
        return fileError(path, QStringLiteral("the PDF has no pages (damaged or truncated?)%1").arg(popplerDetail()));

    doc->setRenderHint(Poppler::Document::Antialiasing);
    doc->setRenderHint(Poppler::Document::TextAntialiasing);
    return std::unique_ptr<PdfDocument>(new PdfDocument(path, std::move(doc)));
}

int PdfDocument::pageCount() const { return m_doc->numPages(); }

QString PdfDocument::title() const { return m_doc->info(QStringLiteral("Title")).trimmed(); }

QString PdfDocument::pageError(int page, const QString& what) const
{
    return QStringLiteral("%1, page %2: %3").arg(m_path).arg(page + 1).arg(what);
}

Result<PageInfo> PdfDocument::pageInfo(int page) const
{
    if (page < 0 || page >= pageCount())
        return makeError(pageError(page, QStringLiteral("no such page (the document has %1)").arg(pageCount())).toStdString());
    t_popplerMessages.clear();
    const std::unique_ptr<Poppler::Page> p(m_doc->page(page));
    if (!p)
        return makeError(pageError(page, QStringLiteral("the page cannot be read%1").arg(popplerDetail())).toStdString());

    int rotation = 0;
    switch (p->orientation()) {
    case Poppler::Page::Portrait:
        rotation = 0;
        break;
    case Poppler::Page::Landscape:
        rotation = 90;
        break;
    case Poppler::Page::UpsideDown:
        rotation = 180;
        break;
    case Poppler::Page::Seascape:
        rotation = 270;
        break;
    }
    const QSizeF size = unrotatedSize(p->pageSizeF(), rotation);
    if (!(size.width() > 0.5 && size.height() > 0.5) || size.width() > kMaxPageSizePt || size.height() > kMaxPageSizePt)
        return makeError(pageError(page, QStringLiteral("absurd page size %1 x %2 pt").arg(size.width()).arg(size.height()))
                             .toStdString());
    return PageInfo{size, rotation, 0};
}

Result<QImage> PdfDocument::render(int page, double dpi, const std::atomic<bool>* abort) const
{
    const Result<PageInfo> info = pageInfo(page);
    if (!info)
        return makeError(info.error());
    if (!(dpi >= 1.0 && dpi <= 2400.0))
        return makeError(pageError(page, QStringLiteral("render resolution %1 dpi is out of range").arg(dpi)).toStdString());
    const double pixels = std::ceil(info->sizePt.width() * dpi / 72.0) * std::ceil(info->sizePt.height() * dpi / 72.0);
    if (pixels > double(kMaxRenderPixels))
        return makeError(pageError(page, QStringLiteral("rendering at %1 dpi would need %2 megapixels; use a lower dpi")
                                             .arg(dpi)
                                             .arg(qint64(pixels / 1e6)))
                             .toStdString());

    t_popplerMessages.clear();
    const std::unique_ptr<Poppler::Page> p(m_doc->page(page));
    const RenderStop stop{abort, QDeadlineTimer(m_renderTimeout)};
    const QImage image = p->renderToImage(dpi, dpi, -1, -1, -1, -1, Poppler::Page::Rotate0, nullptr, nullptr, shouldAbort,
                                          QVariant::fromValue(reinterpret_cast<quintptr>(&stop)));
    if (abort && abort->load())
        return makeError(pageError(page, QStringLiteral("rendering was cancelled")).toStdString());
    if (stop.deadline.hasExpired())
        return makeError(pageError(page, QStringLiteral("rendering took longer than its budget of %1 s; the page is too complex")
                                             .arg(double(m_renderTimeout.count()) / 1000.0))
                             .toStdString());
    if (image.isNull())
        return makeError(pageError(page, QStringLiteral("rendering failed%1").arg(popplerDetail())).toStdString());
    return toOpaqueRgb(image);
}

Result<std::vector<Word>> PdfDocument::words(int page) const
{
    const Result<PageInfo> info = pageInfo(page);
    if (!info)
        return makeError(info.error());
    const std::unique_ptr<Poppler::Page> p(m_doc->page(page));
    const QSizeF displayed = p->pageSizeF();

    std::vector<Word> words;
    int line = 0;
    for (const std::unique_ptr<Poppler::TextBox>& box : p->textList()) {
        const QString text = box->text().trimmed();
        if (!text.isEmpty()) {
            const QRectF r = box->boundingBox();
            const QRectF norm(r.x() / displayed.width(), r.y() / displayed.height(), r.width() / displayed.width(),
                              r.height() / displayed.height());
            words.push_back(Word{text, displayedToUnrotated(norm, info->rotation).intersected(QRectF(0, 0, 1, 1)), line, 1.0,
                                 WordSource::TextLayer});
        }
        // Poppler links the words of one line through nextWord(); its end closes the line.
        if (!box->nextWord())
            ++line;
    }
    return words;
}

} // namespace folio::ingest
