// ingest/: opening, geometry, text layer, rendering and every kind of bad input.
#include "testregistry.h"
#include "handmadepdf.h"

#include "ingest/contenthash.h"
#include "ingest/documentopener.h"
#include "ingest/documentreader.h"
#include "ingest/imagedocument.h"
#include "ingest/inputfiles.h"
#include "ingest/pagegeometry.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QFontDatabase>
#include <QImageWriter>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using namespace folio::ingest;

namespace {

struct Text {
    QString text;
    QPointF baselinePt; // in points from the page's top-left
};

struct PageSpec {
    QPageSize size;
    QPageLayout::Orientation orientation = QPageLayout::Portrait;
    QList<Text> texts;
};

// Writes a PDF whose words we know, at positions we know, with an explicit font file so the
// text layer does not depend on fontconfig's choice.
void writePdf(const QString& path, const QList<PageSpec>& pages)
{
    static const int fontId = QFontDatabase::addApplicationFont(QStringLiteral("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));
    QVERIFY2(fontId >= 0, "fonts-dejavu-core is needed for the ingest tests");
    QPdfWriter writer(path);
    writer.setResolution(72); // painter units = points
    writer.setCreator(QStringLiteral("Folio tests"));
    writer.setTitle(QStringLiteral("Test document"));
    writer.setPageLayout(QPageLayout(pages.first().size, pages.first().orientation, QMarginsF(0, 0, 0, 0)));
    QPainter painter(&writer);
    QFont font(QFontDatabase::applicationFontFamilies(fontId).first());
    font.setPointSizeF(14);
    painter.setFont(font);
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0) {
            writer.setPageLayout(QPageLayout(pages[i].size, pages[i].orientation, QMarginsF(0, 0, 0, 0)));
            writer.newPage();
        }
        for (const Text& t : pages[i].texts)
            painter.drawText(t.baselinePt, t.text);
    }
}

QString tool(const char* name)
{
    const QString exe = QStandardPaths::findExecutable(QString::fromLatin1(name));
    if (exe.isEmpty())
        qWarning("%s is not installed (Debian package qpdf); .ci/run installs it", name);
    return exe;
}

bool run(const QString& exe, const QStringList& args)
{
    QProcess p;
    p.start(exe, args);
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const Word* findWord(const std::vector<Word>& words, const QString& text)
{
    for (const Word& w : words)
        if (w.text == text)
            return &w;
    return nullptr;
}

// A PDF with one page of the given MediaBox, written by hand with a correct xref table.
QByteArray handMadePdf(const QString& mediaBox)
{
    return folio::test::HandMadePdf::withPages({"/MediaBox [" + mediaBox.toLatin1() + "]"});
}

// Inserts an EXIF APP1 segment with the given orientation right after a JPEG's SOI marker.
QByteArray withExifOrientation(const QByteArray& jpeg, quint16 orientation)
{
    QByteArray tiff("MM\0*\0\0\0\x08", 8);                        // big-endian TIFF header, IFD at 8
    tiff += QByteArray("\0\x01", 2);                               // one entry
    tiff += QByteArray("\x01\x12\0\x03\0\0\0\x01", 8);             // Orientation, SHORT, count 1
    tiff += char(orientation >> 8), tiff += char(orientation & 0xff), tiff += QByteArray(2, '\0');
    tiff += QByteArray(4, '\0');                                   // no next IFD
    QByteArray app1 = QByteArray("Exif\0\0", 6) + tiff;
    const quint16 len = quint16(app1.size() + 2);
    QByteArray segment("\xff\xe1", 2);
    segment += char(len >> 8), segment += char(len & 0xff);
    return jpeg.left(2) + segment + app1 + jpeg.mid(2);
}

} // namespace

class TstIngest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pdf;      // A4 portrait + US letter landscape, known words
    QString m_rotated;  // the same file with /Rotate 90 on every page

    QString file(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pdf = file(QStringLiteral("known.pdf"));
        writePdf(m_pdf, {PageSpec{QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                  {{QStringLiteral("Invoice INV-2026-0042"), {72, 100}},
                                   {QStringLiteral("Total 1234.56 EUR"), {300, 700}}}},
                         PageSpec{QPageSize(QPageSize::Letter), QPageLayout::Landscape,
                                  {{QStringLiteral("Second page"), {72, 72}}}}});
        m_rotated = file(QStringLiteral("rotated.pdf"));
        const QString qpdf = tool("qpdf");
        QVERIFY2(!qpdf.isEmpty(), "qpdf is required");
        QVERIFY(run(qpdf, {QStringLiteral("--rotate=+90"), m_pdf, m_rotated}));
    }

    void pdfPagesAndSizes()
    {
        auto doc = openDocument(m_pdf);
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().c_str());
        QCOMPARE((*doc)->kind(), DocumentKind::Pdf);
        QCOMPARE((*doc)->pageCount(), 2);
        QCOMPARE((*doc)->title(), QStringLiteral("Test document"));
        const auto p1 = (*doc)->pageInfo(0);
        QVERIFY(p1.ok());
        QVERIFY(qAbs(p1->sizePt.width() - 595.3) < 1.0);
        QVERIFY(qAbs(p1->sizePt.height() - 841.9) < 1.0);
        QCOMPARE(p1->rotation, 0);
        const auto p2 = (*doc)->pageInfo(1);
        QVERIFY(p2.ok());
        QVERIFY(qAbs(p2->sizePt.width() - 792) < 1.0);
        QVERIFY(qAbs(p2->sizePt.height() - 612) < 1.0);
        QVERIFY(!(*doc)->pageInfo(2).ok());
    }

    void textLayerWordsAndBoxes()
    {
        auto doc = openDocument(m_pdf);
        QVERIFY(doc.ok());
        const auto words = (*doc)->words(0);
        QVERIFY(words.ok());
        const Word* invoice = findWord(*words, QStringLiteral("Invoice"));
        const Word* number = findWord(*words, QStringLiteral("INV-2026-0042"));
        const Word* total = findWord(*words, QStringLiteral("1234.56"));
        QVERIFY(invoice && number && total);
        // "Invoice" starts at x = 72 pt with its baseline at 100 pt on a 595 x 842 pt page.
        QVERIFY2(qAbs(invoice->box.left() - 72 / 595.3) < 0.01, qPrintable(QString::number(invoice->box.left())));
        QVERIFY(invoice->box.top() < 100 / 841.9 && invoice->box.bottom() > 95 / 841.9);
        QVERIFY(qAbs(total->box.left() - 0.5) < 0.15 && total->box.top() > 0.8);
        // Same line, reading order.
        QCOMPARE(invoice->line, number->line);
        QVERIFY(invoice->box.right() <= number->box.left());
        QVERIFY(total->line != invoice->line);
        for (const Word& w : *words)
            QVERIFY(QRectF(0, 0, 1, 1).contains(w.box));
    }

    void rotatedPageKeepsUnrotatedGeometry()
    {
        auto plain = openDocument(m_pdf);
        auto rotated = openDocument(m_rotated);
        QVERIFY(plain.ok() && rotated.ok());
        const auto info = (*rotated)->pageInfo(0);
        QVERIFY(info.ok());
        QCOMPARE(info->rotation, 90);
        QVERIFY(qAbs(info->sizePt.width() - 595.3) < 1.0); // stored unrotated
        const auto a = (*plain)->words(0);
        const auto b = (*rotated)->words(0);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->size(), b->size());
        for (size_t i = 0; i < a->size(); ++i) {
            QCOMPARE((*b)[i].text, (*a)[i].text);
            const QRectF d = (*b)[i].box;
            const QRectF e = (*a)[i].box;
            QVERIFY2(qAbs(d.left() - e.left()) < 0.003 && qAbs(d.top() - e.top()) < 0.003 && qAbs(d.right() - e.right()) < 0.003
                         && qAbs(d.bottom() - e.bottom()) < 0.003,
                     qPrintable(QStringLiteral("%1 vs %2").arg((*b)[i].text).arg(d.left())));
        }
        // Rendering shows the page as displayed: landscape.
        const auto image = (*rotated)->render(0, 72);
        QVERIFY(image.ok());
        QVERIFY(image->width() > image->height());
    }

    void geometryRoundTrips_data()
    {
        QTest::addColumn<int>("rotation");
        for (int r : {0, 90, 180, 270, -90, 450})
            QTest::addRow("%d", r) << r;
    }
    void geometryRoundTrips()
    {
        QFETCH(int, rotation);
        const QRectF box(0.1, 0.2, 0.3, 0.05);
        const QRectF displayed = unrotatedToDisplayed(box, rotation);
        const QRectF back = displayedToUnrotated(displayed, rotation);
        QVERIFY(qAbs(back.left() - box.left()) < 1e-12 && qAbs(back.bottom() - box.bottom()) < 1e-12);
        if (normalizedRotation(rotation) == 90) // top-left corner of the page goes to the top-right
            QVERIFY(qAbs(displayed.right() - (1 - box.top())) < 1e-12 && qAbs(displayed.top() - box.left()) < 1e-12);
    }

    void renderAt150Dpi()
    {
        auto doc = openDocument(m_pdf);
        QVERIFY(doc.ok());
        const auto image = (*doc)->render(0, 150);
        QVERIFY(image.ok());
        QCOMPARE(image->format(), QImage::Format_RGB888);
        QVERIFY(qAbs(image->width() - 1240) <= 1);
        QVERIFY(qAbs(image->height() - 1754) <= 1);
        // The text is there: dark pixels near "Invoice" (72 pt, 100 pt) and white paper elsewhere.
        int dark = 0;
        for (int y = int(85 * 150 / 72.0); y < int(101 * 150 / 72.0); ++y)
            for (int x = int(72 * 150 / 72.0); x < int(150 * 150 / 72.0); ++x)
                dark += qGray(image->pixel(x, y)) < 128;
        QVERIFY2(dark > 100, qPrintable(QString::number(dark)));
        QCOMPARE(qGray(image->pixel(5, 5)), 255);
    }

    void renderIsAbortable()
    {
        auto doc = openDocument(m_pdf);
        QVERIFY(doc.ok());
        std::atomic<bool> abort{true};
        const auto image = (*doc)->render(0, 150, &abort);
        QVERIFY(!image.ok());
        QVERIFY2(QString::fromStdString(image.error()).contains(QStringLiteral("cancelled")), image.error().c_str());
    }

    void encryptedPdf()
    {
        const QString locked = file(QStringLiteral("locked.pdf"));
        QVERIFY(run(tool("qpdf"), {QStringLiteral("--encrypt"), QStringLiteral("secret"), QStringLiteral("owner"),
                                   QStringLiteral("256"), QStringLiteral("--"), m_pdf, locked}));
        const auto noPassword = openDocument(locked);
        QVERIFY(!noPassword.ok());
        QVERIFY2(QString::fromStdString(noPassword.error()).contains(QStringLiteral("encrypted")), noPassword.error().c_str());
        QVERIFY(QString::fromStdString(noPassword.error()).contains(QStringLiteral("--password")));
        const auto wrong = openDocument(locked, "nope");
        QVERIFY(!wrong.ok());
        QVERIFY(QString::fromStdString(wrong.error()).contains(QStringLiteral("wrong")));
        const auto right = openDocument(locked, "secret");
        QVERIFY2(right.ok(), right.ok() ? "" : right.error().c_str());
        QCOMPARE((*right)->pageCount(), 2);
        const auto words = (*right)->words(0);
        QVERIFY(words.ok() && findWord(*words, QStringLiteral("Invoice")));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const QByteArray pdf = readBytes(m_pdf);
        QImage png(40, 30, QImage::Format_RGB888);
        png.fill(Qt::white);
        QByteArray pngBytes;
        {
            QBuffer buffer(&pngBytes);
            buffer.open(QIODevice::WriteOnly);
            png.save(&buffer, "PNG");
        }
        QTest::newRow("zero bytes") << "empty.pdf" << QByteArray() << "empty";
        QTest::newRow("truncated pdf") << "truncated.pdf" << pdf.left(pdf.size() / 3) << "PDF";
        QTest::newRow("only a header") << "header.pdf" << QByteArray("%PDF-1.7\n") << "PDF";
        QTest::newRow("garbage named pdf") << "garbage.pdf" << QByteArray(5000, 'x') << "not a PDF";
        QTest::newRow("png named pdf") << "picture.pdf" << pngBytes << "PNG";
        QTest::newRow("text file") << "notes.txt" << QByteArray("just some notes\n") << "unsupported";
        QTest::newRow("zip named docx") << "letter.docx" << QByteArray("PK\x03\x04rest-of-zip") << "unsupported";
        QTest::newRow("truncated png") << "cut.png" << pngBytes.left(30) << "image";
        QTest::newRow("absurd page size") << "huge.pdf" << handMadePdf(QStringLiteral("0 0 100000 100000")) << "absurd";
    }
    void badInput()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = file(QStringLiteral("bad-") + name);
        writeBytes(path, content);
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(!read.ok(), qPrintable(name));
        const QString message = QString::fromStdString(read.error());
        QVERIFY2(message.startsWith(path), qPrintable(message));
        QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    }

    void emptyMediaBoxGetsPopplersDefaultPage()
    {
        // An empty MediaBox is common in broken generators; Poppler falls back to US letter.
        const QString path = file(QStringLiteral("flat.pdf"));
        writeBytes(path, handMadePdf(QStringLiteral("0 0 0 0")));
        const Result<IngestedDocument> read = readDocument(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->pages.front().info.sizePt, QSizeF(612, 792));
    }

    void missingFileAndFolder()
    {
        const auto missing = openDocument(file(QStringLiteral("nope.pdf")));
        QVERIFY(!missing.ok() && QString::fromStdString(missing.error()).contains(QStringLiteral("no such file")));
        const auto folder = openDocument(m_dir.path());
        QVERIFY(!folder.ok() && QString::fromStdString(folder.error()).contains(QStringLiteral("folder")));
    }

    void pngPageSizeFollowsResolution()
    {
        QImage image(1654, 2339, QImage::Format_RGB888); // A4 at 200 dpi
        image.fill(Qt::white);
        image.setDotsPerMeterX(qRound(200 / 0.0254));
        image.setDotsPerMeterY(qRound(200 / 0.0254));
        const QString path = file(QStringLiteral("scan.png"));
        QVERIFY(image.save(path));
        auto doc = openDocument(path);
        QVERIFY(doc.ok());
        QCOMPARE((*doc)->kind(), DocumentKind::Image);
        QCOMPARE((*doc)->pageCount(), 1);
        const auto info = (*doc)->pageInfo(0);
        QVERIFY(qAbs(info->sizePt.width() - 595.4) < 1 && qAbs(info->sizePt.height() - 842) < 1);
        const auto rendered = (*doc)->render(0, 100);
        QVERIFY(rendered.ok());
        QCOMPARE(rendered->width(), 827);
        QVERIFY((*doc)->words(0).ok() && (*doc)->words(0)->empty());
    }

    void jpegExifOrientationIsApplied()
    {
        QImage image(60, 40, QImage::Format_RGB888); // landscape pixels, left half black
        image.fill(Qt::white);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 30; ++x)
                image.setPixel(x, y, qRgb(0, 0, 0));
        QByteArray jpeg;
        {
            QBuffer buffer(&jpeg);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "JPEG", 95);
        }
        const QString path = file(QStringLiteral("rotated.jpg"));
        writeBytes(path, withExifOrientation(jpeg, 6)); // 6: display rotated 90 degrees clockwise
        auto doc = openDocument(path);
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().c_str());
        const auto rendered = (*doc)->render(0, ImageDocument::kAssumedDpi);
        QVERIFY(rendered.ok());
        QCOMPARE(rendered->width(), 40);
        QCOMPARE(rendered->height(), 60);
        // After a clockwise quarter turn the black left half is on top.
        QVERIFY(qGray(rendered->pixel(20, 5)) < 60);
        QVERIFY(qGray(rendered->pixel(20, 55)) > 200);
    }

    void multiPageTiff()
    {
        // The bundled scanned sample is a 2-page TIFF (resources/samples).
        const QString tiff = folio::test::sourceDir() + QStringLiteral("/resources/samples/invoice-de-nordlicht-scan-2pages.tiff");
        QVERIFY2(QFile::exists(tiff), qPrintable(tiff));
        auto doc = openDocument(tiff);
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().c_str());
        QCOMPARE((*doc)->pageCount(), 2);
        QVERIFY((*doc)->render(1, 72).ok());
    }

    void sha256MatchesAndIgnoresName()
    {
        const QByteArray bytes = readBytes(m_pdf);
        const auto sha = sha256OfFile(m_pdf);
        QVERIFY(sha.ok());
        QCOMPARE(*sha, QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        const QString copy = file(QStringLiteral("copy-with-other-name.pdf"));
        QVERIFY(QFile::copy(m_pdf, copy));
        QCOMPARE(*sha256OfFile(copy), *sha);
    }

    void folderInputsAreExpanded()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath(QStringLiteral("sub"));
        for (const char* name : {"a.pdf", "sub/b.PDF", "sub/c.tiff", "notes.txt", "d.jpg"})
            writeBytes(dir.filePath(QString::fromLatin1(name)), "x");
        const InputFiles inputs = collectInputFiles({dir.path(), dir.filePath(QStringLiteral("missing.pdf"))});
        QCOMPARE(inputs.files.size(), 4);
        QVERIFY(!inputs.files.join(QLatin1Char(',')).contains(QStringLiteral("notes.txt")));
        QCOMPARE(inputs.errors.size(), 1);
        QVERIFY(inputs.errors.first().contains(QStringLiteral("missing.pdf")));
    }

    void readDocumentCollectsEverything()
    {
        const auto read = readDocument(m_pdf);
        QVERIFY(read.ok());
        QCOMPARE(read->pages.size(), size_t(2));
        QVERIFY(read->hasTextLayer());
        QVERIFY(read->pages[1].hasTextLayer());
        QCOMPARE(read->sha256.size(), 64);
        QVERIFY(QFileInfo(read->path).isAbsolute());
        std::atomic<bool> cancel{true};
        QVERIFY(!readDocument(m_pdf, {}, &cancel).ok());
    }
};

FOLIO_TEST_CLASS(TstIngest)
#include "tst_ingest.moc"
