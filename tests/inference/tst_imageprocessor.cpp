// Image preprocessing against the transformers 4.50 (PIL) reference: resized 8-bit images
// byte for byte, pixel_values and grids exactly, for every case in cases.json; smart_resize
// against the spec's worked examples; loadImageFile against Qt's PNG reader.
#include "inference/imagefile.h"
#include "inference/imageprocessor.h"
#include "inference/safetensors.h"

#include "testregistry.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace folio::inference;

namespace {

QString tinyDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

Image toImage(const QImage& source)
{
    const QImage rgb = source.convertToFormat(QImage::Format_RGB888);
    Image image;
    image.width = rgb.width();
    image.height = rgb.height();
    image.rgb.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3);
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(image.rgb.data() + static_cast<std::size_t>(y) * image.width * 3, rgb.constScanLine(y),
            static_cast<std::size_t>(image.width) * 3);
    return image;
}

Image readPng(const QString& path)
{
    QImage q(path);
    if (q.isNull())
        qFatal("cannot read %s", qPrintable(path));
    if (q.hasAlphaChannel())
        qFatal("%s unexpectedly has alpha", qPrintable(path));
    return toImage(q);
}

// The first mismatching byte, for a readable failure.
QString firstDifference(const Image& a, const Image& b)
{
    for (std::size_t i = 0; i < std::min(a.rgb.size(), b.rgb.size()); ++i) {
        if (a.rgb[i] != b.rgb[i]) {
            const auto px = i / 3;
            return QStringLiteral("pixel (%1, %2) channel %3: %4 vs %5")
                .arg(px % static_cast<std::size_t>(a.width))
                .arg(px / static_cast<std::size_t>(a.width))
                .arg(i % 3)
                .arg(a.rgb[i])
                .arg(b.rgb[i]);
        }
    }
    return QStringLiteral("sizes %1 vs %2").arg(a.rgb.size()).arg(b.rgb.size());
}

QJsonArray referenceCases()
{
    QFile json(tinyDir() + QStringLiteral("/reference/cases.json"));
    if (!json.open(QIODevice::ReadOnly))
        qFatal("cannot read cases.json");
    return QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("cases")).toArray();
}

// The README's formula, checked bit-exactly by the fixture's authors against pixel_values:
// float32(float64(u8) * (1/255)), then (x - mean[c]) / std[c] in float32; c = column / (2·14·14).
at::Tensor normalisedFromU8(const at::Tensor& u8, const ImageProcessorOptions& o)
{
    const at::Tensor in = u8.contiguous();
    at::Tensor out = at::empty(in.sizes(), at::kFloat);
    const uint8_t* src = in.data_ptr<uint8_t>();
    float* dst = out.data_ptr<float>();
    const int64_t cols = in.size(1);
    const int64_t perChannel = cols / 3;
    for (int64_t i = 0; i < in.numel(); ++i) {
        const auto c = static_cast<std::size_t>((i % cols) / perChannel);
        const auto x = static_cast<float>(static_cast<double>(src[i]) * (1.0 / 255.0));
        dst[i] = (x - o.mean[c]) / o.std[c];
    }
    return out;
}

} // namespace

class TstImageProcessor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void smartResize_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<qint64>("maxPixels");
        QTest::addColumn<int>("expectedHeight");
        QTest::addColumn<int>("expectedWidth");
        const qint64 defMax = 12845056;
        // Spec 3.3, worked results.
        QTest::newRow("1080x1920") << 1080 << 1920 << defMax << 1092 << 1932;
        QTest::newRow("480x640") << 480 << 640 << defMax << 476 << 644;
        QTest::newRow("1532x1014 (document cookbook)") << 1532 << 1014 << defMax << 1540 << 1008;
        QTest::newRow("1398x870 (OCR cookbook)") << 1398 << 870 << defMax << 1400 << 868;
        QTest::newRow("4000x3000") << 4000 << 3000 << defMax << 4004 << 2996;
        QTest::newRow("8000x6000 (downscale)") << 8000 << 6000 << defMax << 4116 << 3080;
        QTest::newRow("42x70 (ties to even)") << 42 << 70 << defMax << 56 << 56;
        QTest::newRow("30x60 (min pixels)") << 30 << 60 << defMax << 56 << 84;
        QTest::newRow("224x224") << 224 << 224 << defMax << 224 << 224;
        // The fixture images (README table).
        QTest::newRow("image_a") << 336 << 476 << defMax << 336 << 476;
        QTest::newRow("image_b") << 333 << 1000 << defMax << 336 << 1008;
        QTest::newRow("image_c") << 120 << 90 << defMax << 112 << 84;
        QTest::newRow("image_d max 200704") << 1400 << 2000 << qint64(200704) << 364 << 532;
        QTest::newRow("image_e") << 30 << 44 << defMax << 56 << 84;
        // Aspect ratio exactly 200 is still allowed (the test is strict).
        QTest::newRow("ratio 200") << 28 << 5600 << defMax << 28 << 5600;
    }

    void smartResize()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(qint64, maxPixels);
        QFETCH(int, expectedHeight);
        QFETCH(int, expectedWidth);
        const auto r = folio::inference::smartResize(height, width, 28, 3136, maxPixels);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QCOMPARE(r->first, expectedHeight);
        QCOMPARE(r->second, expectedWidth);
        // Transposing the input transposes the result.
        const auto t = folio::inference::smartResize(width, height, 28, 3136, maxPixels);
        QVERIFY(t.ok());
        QCOMPARE(t->first, expectedWidth);
        QCOMPARE(t->second, expectedHeight);
    }

    void smartResizeErrors_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("too small") << 27 << 100 << QStringLiteral("too small");
        QTest::newRow("too elongated") << 28 << 5628 << QStringLiteral("aspect ratio");
    }

    void smartResizeErrors()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(QString, mentions);
        const auto r = folio::inference::smartResize(height, width, 28, 3136, 12845056);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains(mentions), r.error().c_str());
        Image image;
        image.width = width;
        image.height = height;
        image.rgb.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3, 0);
        const auto p = processImage(image, ImageProcessorOptions {});
        QVERIFY(!p.ok());
        QCOMPARE(p.error(), r.error());
    }

    // Every source image of every case resized with our Pillow port equals the processor's
    // resized PNG byte for byte.
    void resizeMatchesPillow_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("resized");
        int rows = 0;
        for (const auto& c : referenceCases()) {
            const QJsonObject o = c.toObject();
            QJsonArray sources = o.value(QStringLiteral("images")).toArray();
            for (const auto& f : o.value(QStringLiteral("video_frames")).toArray())
                sources.append(f);
            const QJsonArray resized = o.value(QStringLiteral("resized_images")).toArray();
            QCOMPARE(resized.size(), sources.size());
            for (int i = 0; i < sources.size(); ++i) {
                QTest::newRow(qPrintable(resized[i].toString())) << tinyDir() + QLatin1Char('/')
                        + sources[i].toString() << tinyDir() + QStringLiteral("/reference/") + resized[i].toString();
                ++rows;
            }
        }
        QCOMPARE(rows, 10);
    }

    void resizeMatchesPillow()
    {
        QFETCH(QString, source);
        QFETCH(QString, resized);
        const Image in = readPng(source);
        const Image expected = readPng(resized);
        const Image out = resizeBicubic(in, expected.width, expected.height);
        QCOMPARE(out.width, expected.width);
        QCOMPARE(out.height, expected.height);
        QVERIFY2(out.rgb == expected.rgb, qPrintable(firstDifference(out, expected)));
    }

    void resizeSameSizeIsCopy()
    {
        const Image in = readPng(tinyDir() + QStringLiteral("/images/image_c_90x120.png"));
        const Image out = resizeBicubic(in, in.width, in.height);
        QCOMPARE(out.width, in.width);
        QCOMPARE(out.height, in.height);
        QVERIFY(out.rgb == in.rgb);
    }

    // pixel_values (or the u8 pixels behind them) and grids of every case with vision input.
    void pixelValues_data()
    {
        QTest::addColumn<QJsonObject>("reference");
        for (const auto& c : referenceCases()) {
            const QJsonObject o = c.toObject();
            if (!o.value(QStringLiteral("images")).toArray().isEmpty()
                || !o.value(QStringLiteral("video_frames")).toArray().isEmpty())
                QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString())) << o;
        }
    }

    void pixelValues()
    {
        QFETCH(QJsonObject, reference);
        ImageProcessorOptions options;
        options.minPixels = reference.value(QStringLiteral("min_pixels")).toInteger();
        options.maxPixels = reference.value(QStringLiteral("max_pixels")).toInteger();
        auto file = SafeTensorsFile::open(
            (tinyDir() + QStringLiteral("/reference/") + reference.value(QStringLiteral("file")).toString())
                .toStdString());
        QVERIFY(file.ok());
        const SafeTensorsFile& ref = *file.value();

        const bool video = !reference.value(QStringLiteral("video_frames")).toArray().isEmpty();
        std::vector<at::Tensor> values;
        std::vector<int64_t> grids;
        const QJsonArray resizedNames = reference.value(QStringLiteral("resized_images")).toArray();
        if (video) {
            std::vector<Image> frames;
            for (const auto& f : reference.value(QStringLiteral("video_frames")).toArray())
                frames.push_back(readPng(tinyDir() + QLatin1Char('/') + f.toString()));
            auto v = processVideo(frames, options);
            QVERIFY2(v.ok(), v.ok() ? "" : v.error().c_str());
            values.push_back(v->pixelValues);
            grids.insert(grids.end(), v->gridThw.begin(), v->gridThw.end());
        } else {
            const QJsonArray images = reference.value(QStringLiteral("images")).toArray();
            for (int i = 0; i < images.size(); ++i) {
                auto v = processImage(readPng(tinyDir() + QLatin1Char('/') + images[i].toString()), options);
                QVERIFY2(v.ok(), v.ok() ? "" : v.error().c_str());
                // The resized frame the boxes refer to is the reference's resized PNG size.
                const auto match
                    = QRegularExpression(QStringLiteral("_(\\d+)x(\\d+)\\.png$")).match(resizedNames[i].toString());
                QVERIFY(match.hasMatch());
                QCOMPARE(v->resizedWidth, match.captured(1).toInt());
                QCOMPARE(v->resizedHeight, match.captured(2).toInt());
                values.push_back(v->pixelValues);
                grids.insert(grids.end(), v->gridThw.begin(), v->gridThw.end());
            }
        }
        const at::Tensor ours = at::cat(values, 0);
        QCOMPARE(ours.scalar_type(), at::kFloat);

        const std::string gridName = video ? "video_grid_thw" : "image_grid_thw";
        const at::Tensor refGrid = ref.tensor(gridName).contiguous();
        QCOMPARE(
            std::vector<int64_t>(refGrid.data_ptr<int64_t>(), refGrid.data_ptr<int64_t>() + refGrid.numel()), grids);

        const std::string base = video ? "pixel_values_videos" : "pixel_values";
        at::Tensor expected;
        if (ref.contains(base)) {
            expected = ref.tensor(base);
        } else {
            QVERIFY(ref.contains(base + "_u8"));
            expected = normalisedFromU8(ref.tensor(base + "_u8"), options);
        }
        QCOMPARE(ours.sizes().vec(), expected.sizes().vec());
        QVERIFY2(at::equal(ours, expected),
            qPrintable(QStringLiteral("%1 elements differ, max |diff| %2")
                           .arg(ours.ne(expected).sum().item<int64_t>())
                           .arg((ours - expected).abs().max().item<float>())));
    }

    void videoPadsToEvenFrameCount()
    {
        std::vector<Image> frames;
        for (int i = 0; i < 3; ++i)
            frames.push_back(readPng(tinyDir() + QStringLiteral("/images/video_f%1_112x84.png").arg(i)));
        auto three = processVideo(frames, ImageProcessorOptions {});
        QVERIFY(three.ok());
        QCOMPARE(three->gridThw, (std::array<int64_t, 3> { 2, 6, 8 }));
        frames.push_back(frames.back());
        auto four = processVideo(frames, ImageProcessorOptions {});
        QVERIFY(four.ok());
        QVERIFY(at::equal(three->pixelValues, four->pixelValues));
    }

    // A single image fills both frames of its temporal patch: in each row, the 14×14 block of
    // frame 1 equals that of frame 0 for every channel.
    void imageRepeatsIntoTemporalPatch()
    {
        auto v
            = processImage(readPng(tinyDir() + QStringLiteral("/images/image_e_44x30.png")), ImageProcessorOptions {});
        QVERIFY(v.ok());
        const at::Tensor rows = v->pixelValues.view({ -1, 3, 2, 196 });
        QVERIFY(at::equal(rows.select(2, 0), rows.select(2, 1)));
    }

    void processErrors()
    {
        Image broken;
        broken.width = 40;
        broken.height = 40;
        broken.rgb.resize(10);
        auto r = processImage(broken, ImageProcessorOptions {});
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains(QStringLiteral("40×40")), r.error().c_str());

        const Image a = readPng(tinyDir() + QStringLiteral("/images/image_c_90x120.png"));
        const Image b = readPng(tinyDir() + QStringLiteral("/images/video_f0_112x84.png"));
        auto mixed = processVideo({ a, b }, ImageProcessorOptions {});
        QVERIFY(!mixed.ok());
        QVERIFY2(QString::fromStdString(mixed.error()).contains(QStringLiteral("frame 2")), mixed.error().c_str());
        QVERIFY(!processVideo({}, ImageProcessorOptions {}).ok());
    }

    void loadImageFileMatchesQt_data()
    {
        QTest::addColumn<QString>("path");
        const QString dir = tinyDir() + QStringLiteral("/images");
        QTest::newRow("image_a") << dir + QStringLiteral("/image_a_476x336.png");
        QTest::newRow("image_d") << dir + QStringLiteral("/image_d_2000x1400.png");
        QTest::newRow("video_f3") << dir + QStringLiteral("/video_f3_112x84.png");
    }

    void loadImageFileMatchesQt()
    {
        QFETCH(QString, path);
        auto ours = loadImageFile(path.toStdString());
        QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().c_str());
        const Image qt = readPng(path);
        QCOMPARE(ours->width, qt.width);
        QCOMPARE(ours->height, qt.height);
        QVERIFY(ours->rgb == qt.rgb);
    }

    // PIL's convert("RGB") drops alpha: transparent pixels keep their stored colour.
    void loadImageFileDropsAlpha()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QImage rgba(2, 1, QImage::Format_ARGB32);
        rgba.setPixel(0, 0, qRgba(10, 20, 30, 0));
        rgba.setPixel(1, 0, qRgba(200, 100, 50, 128));
        const QString path = dir.filePath(QStringLiteral("rgba.png"));
        QVERIFY(rgba.save(path, "PNG"));
        auto image = loadImageFile(path.toStdString());
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().c_str());
        QCOMPARE(image->width, 2);
        QCOMPARE(image->height, 1);
        QCOMPARE(image->rgb, (std::vector<uint8_t> { 10, 20, 30, 200, 100, 50 }));
    }

    void loadImageFileErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString missing = dir.filePath(QStringLiteral("missing.png"));
        auto a = loadImageFile(missing.toStdString());
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.error()).contains(missing), a.error().c_str());

        const QString junk = dir.filePath(QStringLiteral("junk.png"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an image");
        f.close();
        auto b = loadImageFile(junk.toStdString());
        QVERIFY(!b.ok());
        QVERIFY2(QString::fromStdString(b.error()).contains(junk), b.error().c_str());
    }
};

FOLIO_TEST_CLASS(TstImageProcessor)
#include "tst_imageprocessor.moc"
