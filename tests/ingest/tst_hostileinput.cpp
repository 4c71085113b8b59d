// ingest/ against hostile input: special files, bad pages kept with their reason, pages over
// their time or memory budget, truncated images, long multi-page TIFFs, links out of a folder.
#include "testregistry.h"
#include "handmadepdf.h"

#include "ingest/contenthash.h"
#include "ingest/documentreader.h"
#include "ingest/imagedocument.h"
#include "ingest/inputfiles.h"
#include "ingest/pdfdocument.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <tiffio.h>

#include <atomic>
#include <thread>

#include <sys/stat.h>

using namespace folio;
using namespace folio::ingest;
using folio::test::HandMadePdf;

namespace {

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A three-page PDF whose middle page is `middle` (page dictionary entries); pages 1 and 3 carry
// the words "first" and "third".
QByteArray threePages(const QByteArray& middle)
{
    HandMadePdf pdf;
    const int catalog = pdf.reserve();
    const int pages = pdf.reserve();
    const int font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    const QByteArray resources = "/Resources << /Font << /F1 " + HandMadePdf::ref(font) + " >> >>";
    const auto page = [&](const QByteArray& entries, const QByteArray& content) {
        const int stream = pdf.addStream({}, content);
        return pdf.add("<< /Type /Page /Parent " + HandMadePdf::ref(pages) + " /MediaBox [0 0 612 792] " + resources
                       + " /Contents " + HandMadePdf::ref(stream) + " " + entries + " >>");
    };
    const int p1 = page({}, "BT /F1 24 Tf 72 700 Td (first) Tj ET");
    const int p2 = page(middle, "BT /F1 24 Tf 72 700 Td (second) Tj ET");
    const int p3 = page({}, "BT /F1 24 Tf 72 700 Td (third) Tj ET");
    pdf.set(catalog, "<< /Type /Catalog /Pages " + HandMadePdf::ref(pages) + " >>");
    pdf.set(pages, "<< /Type /Pages /Kids [" + HandMadePdf::ref(p1) + " " + HandMadePdf::ref(p2) + " " + HandMadePdf::ref(p3)
                       + "] /Count 3 >>");
    return pdf.bytes(catalog);
}

// A page whose content draws a form that draws a form ... ten times at each of `depth` levels:
// 10^depth text-showing operations from a file of a few kilobytes, the shape of a PDF "bomb".
// Pages 1 and 3 are ordinary.
QByteArray bombBetweenGoodPages(int depth)
{
    HandMadePdf pdf;
    const int catalog = pdf.reserve();
    const int pages = pdf.reserve();
    const int font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    const QByteArray fonts = "/Font << /F1 " + HandMadePdf::ref(font) + " >>";
    int form = pdf.addStream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << " + fonts + " >>",
                             "BT /F1 6 Tf 10 10 Td (ab cd) Tj ET");
    for (int level = 1; level <= depth; ++level) {
        QByteArray draws;
        for (int i = 0; i < 10; ++i)
            draws += "q 1 0 0 1 " + QByteArray::number(i * 3) + " " + QByteArray::number(level * 7) + " cm /X Do Q\n";
        form = pdf.addStream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << " + fonts
                                 + " /XObject << /X " + HandMadePdf::ref(form) + " >> >>",
                             draws);
    }
    const auto page = [&](const QByteArray& content) {
        const int stream = pdf.addStream({}, content);
        return pdf.add("<< /Type /Page /Parent " + HandMadePdf::ref(pages) + " /MediaBox [0 0 612 792] /Resources << " + fonts
                       + " /XObject << /X " + HandMadePdf::ref(form) + " >> >> /Contents " + HandMadePdf::ref(stream) + " >>");
    };
    const int p1 = page("BT /F1 24 Tf 72 700 Td (before) Tj ET");
    const int p2 = page("/X Do");
    const int p3 = page("BT /F1 24 Tf 72 700 Td (after) Tj ET");
    pdf.set(catalog, "<< /Type /Catalog /Pages " + HandMadePdf::ref(pages) + " >>");
    pdf.set(pages, "<< /Type /Pages /Kids [" + HandMadePdf::ref(p1) + " " + HandMadePdf::ref(p2) + " " + HandMadePdf::ref(p3)
                       + "] /Count 3 >>");
    return pdf.bytes(catalog);
}

QStringList pageTexts(const IngestedPage& page)
{
    QStringList out;
    for (const Word& w : page.words)
        out << w.text;
    return out;
}

QByteArray noiseJpeg(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB888);
    QRandomGenerator rng(7);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(int(rng.bounded(256)), (x * 3) & 0xff, (y * 5) & 0xff));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPG", 90);
    return bytes;
}

// A TIFF of `pages` 16 x 8 grey frames whose grey level is the page number (mod 256).
void writeGreyTiff(const QString& path, int pages)
{
    TIFF* tiff = TIFFOpen(QFile::encodeName(path).constData(), "w");
    QVERIFY(tiff);
    for (int p = 0; p < pages; ++p) {
        TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, 16);
        TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, 8);
        TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 8);
        TIFFSetField(tiff, TIFFTAG_XRESOLUTION, 200.0f);
        TIFFSetField(tiff, TIFFTAG_YRESOLUTION, 200.0f);
        TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
        TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
        TIFFSetField(tiff, TIFFTAG_PAGENUMBER, p, pages);
        QByteArray row(16, char(p & 0xff));
        for (int y = 0; y < 8; ++y)
            TIFFWriteScanline(tiff, row.data(), uint32_t(y), 0);
        TIFFWriteDirectory(tiff);
    }
    TIFFClose(tiff);
}

} // namespace

class TstHostileInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString file(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void specialFilesAreRefusedAtOnce_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("device");
        QTest::newRow("/dev/null") << QStringLiteral("/dev/null") << QStringLiteral("device");
        QTest::newRow("fifo") << QStringLiteral("FIFO") << QStringLiteral("named pipe");
        QTest::newRow("link to /dev/zero") << QStringLiteral("LINK") << QStringLiteral("device");
    }
    void specialFilesAreRefusedAtOnce()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        if (path == u"FIFO") {
            path = file(QStringLiteral("pipe.pdf"));
            QFile::remove(path);
            QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        } else if (path == u"LINK") {
            path = file(QStringLiteral("zero.pdf"));
            QFile::remove(path);
            QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path));
        }
        // Both would block (a FIFO without writer) or never end (/dev/zero) if they were opened.
        for (const std::string& error : {readDocument(path).ok() ? std::string() : readDocument(path).error(),
                                         sha256OfFile(path).ok() ? std::string() : sha256OfFile(path).error()}) {
            const QString message = QString::fromStdString(error);
            QVERIFY2(message.startsWith(path), qPrintable(message));
            QVERIFY2(message.contains(reason), qPrintable(message));
        }
    }

    void badPageIsKeptWithItsReason_data()
    {
        QTest::addColumn<QByteArray>("pdf");
        QTest::addColumn<QString>("reason");
        QTest::newRow("0.2 x 0.2 pt page") << threePages("/MediaBox [0 0 0.2 0.2]") << QStringLiteral("absurd page size");
        QTest::newRow("page larger than PDF allows") << threePages("/MediaBox [0 0 90000 90000]")
                                                     << QStringLiteral("absurd page size");
    }
    void badPageIsKeptWithItsReason()
    {
        QFETCH(QByteArray, pdf);
        QFETCH(QString, reason);
        const QString path = file(QStringLiteral("bad-middle.pdf"));
        writeBytes(path, pdf);
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(3));
        QCOMPARE(read->failedPages(), 1);
        QCOMPARE(pageTexts(read->pages[0]), QStringList{QStringLiteral("first")});
        QCOMPARE(pageTexts(read->pages[2]), QStringList{QStringLiteral("third")});
        const IngestedPage& bad = read->pages[1];
        QVERIFY2(bad.error.contains(QStringLiteral("page 2")) && bad.error.contains(reason), qPrintable(bad.error));
        QVERIFY(!bad.geometryKnown);
        QCOMPARE(bad.info.sizePt, kPlaceholderPageSizePt);
        QVERIFY(bad.words.empty());
    }

    void pageTreeLoopKeepsTheReadablePages()
    {
        // The second kid is the page tree itself: a loop. Poppler stops at it; page 1 stays.
        HandMadePdf pdf;
        const int catalog = pdf.reserve();
        const int pages = pdf.reserve();
        const int font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        const int content = pdf.addStream({}, "BT /F1 24 Tf 72 700 Td (looped) Tj ET");
        const int page = pdf.add("<< /Type /Page /Parent " + HandMadePdf::ref(pages) + " /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
                                 + HandMadePdf::ref(font) + " >> >> /Contents " + HandMadePdf::ref(content) + " >>");
        pdf.set(catalog, "<< /Type /Catalog /Pages " + HandMadePdf::ref(pages) + " >>");
        pdf.set(pages, "<< /Type /Pages /Kids [" + HandMadePdf::ref(page) + " " + HandMadePdf::ref(pages) + "] /Count 2 >>");
        const QString path = file(QStringLiteral("loop.pdf"));
        writeBytes(path, pdf.bytes(catalog));
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QVERIFY(!read->pages.empty());
        QCOMPARE(pageTexts(read->pages[0]), QStringList{QStringLiteral("looped")});
        for (size_t i = 1; i < read->pages.size(); ++i)
            QVERIFY2(!read->pages[i].error.isEmpty(), "a page beyond the loop is marked");
    }

    void junkBeforeTheHeaderIsRead()
    {
        const QString path = file(QStringLiteral("junk-first.pdf"));
        writeBytes(path, QByteArray(300, 'j') + "\n" + threePages({}));
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(3));
        QCOMPARE(read->failedPages(), 0);
        QCOMPARE(pageTexts(read->pages[1]), QStringList{QStringLiteral("second")});
        for (const IngestedPage& page : read->pages)
            QCOMPARE(page.info.sizePt, QSizeF(612, 792));
    }

    // qpdf's fuzz-16214.pdf and pdf.js's bug1606566.pdf have no header at all; pdfinfo and
    // Poppler read them anyway, and so does Folio when the name says PDF.
    void missingHeaderIsReadWhenPopplerCan()
    {
        QByteArray pdf = threePages({});
        pdf.remove(0, pdf.indexOf('\n') + 1); // the "%PDF-1.x" line
        QVERIFY(!pdf.contains("%PDF-"));
        const QString path = file(QStringLiteral("no-header.pdf"));
        writeBytes(path, QByteArray(40, ' ') + pdf);
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(3));
        QCOMPARE(pageTexts(read->pages[1]), QStringList{QStringLiteral("second")});
    }

    // fuzz_document's finding: 413 bytes of TIFF declaring a page of hundreds of megapixels made
    // the decoder allocate ~3 GB in the app's own process. It is refused from the header now.
    void tiffPageOverTheMemoryBudgetIsRefusedUnread()
    {
        const QString path = folio::test::sourceDir() + QStringLiteral("/tests/data/fuzz/tiff-huge-page-413-bytes.tif");
        QVERIFY(QFileInfo(path).size() < 1000);
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY(!read.ok());
        const QString message = QString::fromStdString(read.error());
        QVERIFY2(message.contains(path) && message.contains(QStringLiteral("more than the 2048 MiB a page may use")), qPrintable(message));
    }

    void wholeDocumentRefusedOnlyWhenNoPageIsReadable()
    {
        const QString path = file(QStringLiteral("all-bad.pdf"));
        writeBytes(path, HandMadePdf::withPages({"/MediaBox [0 0 0.1 0.1]", "/MediaBox [0 0 0.1 0.3]"}));
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY(!read.ok());
        const QString message = QString::fromStdString(read.error());
        QVERIFY2(message.startsWith(path) && message.contains(QStringLiteral("not one of its 2 pages")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("absurd page size")), qPrintable(message));
    }

    void pageOverItsTimeBudgetIsMarkedAndTheRestIsRead()
    {
        const QString path = file(QStringLiteral("bomb-time.pdf"));
        writeBytes(path, bombBetweenGoodPages(8)); // 10^8 text operations on page 2
        PageBudget budget;
        budget.timeout = std::chrono::milliseconds(1500);
        const Result<IngestedDocument> read = readDocument(path, {}, nullptr, {}, budget);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(3));
        QCOMPARE(pageTexts(read->pages[0]), QStringList{QStringLiteral("before")});
        QCOMPARE(pageTexts(read->pages[2]), QStringList{QStringLiteral("after")});
        const IngestedPage& bomb = read->pages[1];
        QVERIFY2(bomb.error.contains(QStringLiteral("page 2")) && bomb.error.contains(QStringLiteral("longer than its budget of 1.5 s")),
                 qPrintable(bomb.error));
        // The worker had read the geometry before the text layer ran away.
        QVERIFY(bomb.geometryKnown);
        QCOMPARE(bomb.info.sizePt, QSizeF(612, 792));
    }

    void pageOverItsMemoryBudgetIsMarkedAndTheRestIsRead()
    {
        const QString path = file(QStringLiteral("bomb-memory.pdf"));
        writeBytes(path, bombBetweenGoodPages(7)); // 10^7 characters kept by the text extractor
        PageBudget budget;
        budget.timeout = std::chrono::minutes(10);
        budget.memoryBytes = qint64(48) << 20;
        const Result<IngestedDocument> read = readDocument(path, {}, nullptr, {}, budget);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(3));
        QCOMPARE(pageTexts(read->pages[2]), QStringList{QStringLiteral("after")});
        const IngestedPage& bomb = read->pages[1];
        QVERIFY2(bomb.error.contains(QStringLiteral("memory budget of 48 MB")), qPrintable(bomb.error));
    }

    void cancelStopsAPageThatRunsAway()
    {
        const QString path = file(QStringLiteral("bomb-cancel.pdf"));
        writeBytes(path, bombBetweenGoodPages(8));
        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            cancel = true;
        });
        const Result<IngestedDocument> read = readDocument(path, {}, &cancel);
        canceller.join();
        QVERIFY(!read.ok());
        QVERIFY2(QString::fromStdString(read.error()).contains(QStringLiteral("cancelled")), read.error().c_str());
    }

    void renderStopsAtItsDeadline()
    {
        const QString path = file(QStringLiteral("bomb-render.pdf"));
        writeBytes(path, bombBetweenGoodPages(8));
        auto pdf = PdfDocument::open(path);
        QVERIFY(pdf.ok());
        (*pdf)->setRenderTimeout(std::chrono::milliseconds(300));
        QVERIFY((*pdf)->render(0, 30).ok());
        const Result<QImage> bomb = (*pdf)->render(1, 30);
        QVERIFY(!bomb.ok());
        QVERIFY2(QString::fromStdString(bomb.error()).contains(QStringLiteral("page 2: rendering took longer than its budget")),
                 bomb.error().c_str());
    }

    void truncatedJpegIsStoredWithAWarning()
    {
        const QByteArray jpeg = noiseJpeg(300, 200);
        const QString whole = file(QStringLiteral("whole.jpg"));
        const QString half = file(QStringLiteral("half.jpg"));
        writeBytes(whole, jpeg);
        writeBytes(half, jpeg.left(jpeg.size() / 2));
        const Result<IngestedDocument> good = readDocument(whole);
        QVERIFY(good.ok());
        QVERIFY(good->pages[0].warning.isEmpty());
        const Result<IngestedDocument> cut = readDocument(half);
        QVERIFY2(cut.ok(), cut.ok() ? "" : cut.error().c_str());
        QCOMPARE(cut->pages.size(), size_t(1));
        QVERIFY2(cut->pages[0].warning.contains(QStringLiteral("truncated")), qPrintable(cut->pages[0].warning));
        QVERIFY(cut->pages[0].error.isEmpty());
    }

    void longTiffIsReadInOrderAndByRandomAccess()
    {
        const QString path = file(QStringLiteral("long.tiff"));
        writeGreyTiff(path, 600);
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.size(), size_t(600));
        QCOMPARE(read->failedPages(), 0);
        // 16 x 8 px at 200 dpi (stored as dots per metre, so within rounding)
        QVERIFY(qAbs(read->pages[599].info.sizePt.width() - 16 * 72.0 / 200) < 0.01);
        QVERIFY(qAbs(read->pages[599].info.sizePt.height() - 8 * 72.0 / 200) < 0.01);
        auto doc = ImageDocument::open(path);
        QVERIFY(doc.ok());
        for (int page : {599, 3, 300, 0, 257}) {
            const Result<QImage> image = (*doc)->render(page, 200);
            QVERIFY(image.ok());
            QCOMPARE(qGray(image->pixel(5, 5)), page & 0xff);
        }
    }

    void linksOutOfAFolderAreSkippedUnlessFollowed()
    {
        QTemporaryDir outside;
        QTemporaryDir root;
        writeBytes(outside.filePath(QStringLiteral("secret.pdf")), "x");
        QDir(outside.path()).mkpath(QStringLiteral("more"));
        writeBytes(outside.filePath(QStringLiteral("more/other.pdf")), "x");
        writeBytes(root.filePath(QStringLiteral("inside.pdf")), "x");
        QDir(root.path()).mkpath(QStringLiteral("sub"));
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("secret.pdf")), root.filePath(QStringLiteral("sub/leak.pdf"))));
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("more")), root.filePath(QStringLiteral("folder-leak"))));
        QVERIFY(QFile::link(root.filePath(QStringLiteral("inside.pdf")), root.filePath(QStringLiteral("sub/alias.pdf"))));
        QVERIFY(QFile::link(root.path(), root.filePath(QStringLiteral("sub/loop")))); // a loop back to the top

        const InputFiles contained = collectInputFiles({root.path()});
        QCOMPARE(contained.files, (QStringList{root.filePath(QStringLiteral("inside.pdf")), root.filePath(QStringLiteral("sub/alias.pdf"))}));
        QCOMPARE(contained.skipped.size(), 2);
        QVERIFY2(contained.skipped.join(QLatin1Char('\n')).contains(QStringLiteral("leak.pdf: skipped")), qPrintable(contained.skipped.join(QLatin1Char('\n'))));
        QVERIFY(contained.skipped.join(QLatin1Char('\n')).contains(QStringLiteral("--follow-links")));

        const InputFiles followed = collectInputFiles({root.path()}, true);
        QCOMPARE(followed.files.size(), 4);
        QVERIFY(followed.skipped.isEmpty());
    }
};

FOLIO_TEST_CLASS(TstHostileInput)
#include "tst_hostileinput.moc"
