// computeRopeIndex against transformers 4.50's get_rope_index output stored in every reference
// case, and against the spec's hand-checked vectors.
#include "inference/ropeindex.h"
#include "inference/safetensors.h"

#include "testregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <array>
#include <vector>

using folio::inference::computeRopeIndex;
using folio::inference::RopeIndexParams;
using folio::inference::SafeTensorsFile;

namespace {

using Grids = std::vector<std::array<int64_t, 3>>;

QString referenceDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny/reference");
}

std::vector<int64_t> longs(const at::Tensor& t)
{
    const at::Tensor c = t.contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

Grids gridsOf(const SafeTensorsFile& f, const std::string& name)
{
    Grids out;
    if (!f.contains(name))
        return out;
    const auto flat = longs(f.tensor(name));
    for (std::size_t i = 0; i + 2 < flat.size(); i += 3)
        out.push_back({ flat[i], flat[i + 1], flat[i + 2] });
    return out;
}

// Spec 12 uses symbolic ids; these stand for them.
constexpr int64_t T = 100; // ordinary text
constexpr int64_t VS = 151652;
constexpr int64_t VE = 151653;
constexpr int64_t IMG = 151655;
constexpr int64_t VID = 151656;

} // namespace

class TstRopeIndex : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void referenceCases_data()
    {
        QTest::addColumn<QString>("file");
        QFile json(referenceDir() + QStringLiteral("/cases.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray cases
            = QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("cases")).toArray();
        QCOMPARE(cases.size(), 7);
        for (const auto& c : cases) {
            const QJsonObject o = c.toObject();
            QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString()))
                << referenceDir() + QLatin1Char('/') + o.value(QStringLiteral("file")).toString();
        }
    }

    void referenceCases()
    {
        QFETCH(QString, file);
        auto ref = SafeTensorsFile::open(file.toStdString());
        QVERIFY2(ref.ok(), ref.ok() ? "" : ref.error().c_str());
        const SafeTensorsFile& f = *ref.value();
        const auto ids = longs(f.tensor("input_ids"));
        std::vector<double> seconds;
        if (f.contains("second_per_grid_ts")) {
            const at::Tensor s = f.tensor("second_per_grid_ts").to(at::kDouble);
            seconds.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
        }
        auto r = computeRopeIndex(
            ids, gridsOf(f, "image_grid_thw"), gridsOf(f, "video_grid_thw"), seconds, RopeIndexParams {});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        const at::Tensor expected = f.tensor("position_ids"); // (3, 1, L)
        QCOMPARE(r->positionIds.scalar_type(), at::kLong);
        QCOMPARE(r->positionIds.sizes().vec(), (std::vector<int64_t> { 3, static_cast<int64_t>(ids.size()) }));
        QVERIFY(at::equal(r->positionIds, expected.squeeze(1)));
        QCOMPARE(r->ropeDelta, f.tensor("rope_deltas").item<int64_t>());
    }

    void specVectors_data()
    {
        QTest::addColumn<std::vector<int64_t>>("ids");
        QTest::addColumn<Grids>("images");
        QTest::addColumn<Grids>("videos");
        QTest::addColumn<std::vector<double>>("seconds");
        QTest::addColumn<std::vector<int64_t>>("t");
        QTest::addColumn<std::vector<int64_t>>("h");
        QTest::addColumn<std::vector<int64_t>>("w");
        QTest::addColumn<qint64>("delta");

        // Spec section 12.
        QTest::newRow("image 1x4x6") << std::vector<int64_t> { T, T, VS, IMG, IMG, IMG, IMG, IMG, IMG, VE, T, T }
                                     << Grids { { 1, 4, 6 } } << Grids {} << std::vector<double> {}
                                     << std::vector<int64_t> { 0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7, 8 }
                                     << std::vector<int64_t> { 0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7, 8 }
                                     << std::vector<int64_t> { 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8 } << qint64(-3);
        QTest::newRow("video 2x4x4") << std::vector<int64_t> { T, VS, VID, VID, VID, VID, VID, VID, VID, VID, VE, T }
                                     << Grids {} << Grids { { 2, 4, 4 } } << std::vector<double> { 1.0 }
                                     << std::vector<int64_t> { 0, 1, 2, 2, 2, 2, 4, 4, 4, 4, 5, 6 }
                                     << std::vector<int64_t> { 0, 1, 2, 2, 3, 3, 2, 2, 3, 3, 5, 6 }
                                     << std::vector<int64_t> { 0, 1, 2, 3, 2, 3, 2, 3, 2, 3, 5, 6 } << qint64(-5);
        // Float-then-truncate: 0.75 s per grid at 2 tokens/s gives times 0, 1.5, 3.0 -> 0, 1, 3.
        QTest::newRow("video fractional interval")
            << std::vector<int64_t> { VS, VID, VID, VID, VE } << Grids {} << Grids { { 3, 2, 2 } }
            << std::vector<double> { 0.75 } << std::vector<int64_t> { 0, 1, 2, 4, 5 }
            << std::vector<int64_t> { 0, 1, 1, 1, 5 } << std::vector<int64_t> { 0, 1, 1, 1, 5 } << qint64(1);
        // No interval given: 1.0 s per grid, like the reference.
        QTest::newRow("video default interval")
            << std::vector<int64_t> { VS, VID, VID, VE } << Grids {} << Grids { { 2, 2, 2 } } << std::vector<double> {}
            << std::vector<int64_t> { 0, 1, 3, 4 } << std::vector<int64_t> { 0, 1, 1, 4 }
            << std::vector<int64_t> { 0, 1, 1, 4 } << qint64(1);
        // A video before an image: blocks are taken in prompt order, whatever their kind.
        // A video before an image: blocks are taken in prompt order, whatever their kind.
        QTest::newRow("video then image")
            << std::vector<int64_t> { VS, VID, VID, VE, VS, IMG, IMG, VE } << Grids { { 1, 2, 4 } }
            << Grids { { 2, 2, 2 } } << std::vector<double> { 1.0 } << std::vector<int64_t> { 0, 1, 3, 4, 5, 6, 6, 8 }
            << std::vector<int64_t> { 0, 1, 1, 4, 5, 6, 6, 8 } << std::vector<int64_t> { 0, 1, 1, 4, 5, 6, 7, 8 }
            << qint64(1);
        QTest::newRow("text only") << std::vector<int64_t> { T, T, T } << Grids {} << Grids {} << std::vector<double> {}
                                   << std::vector<int64_t> { 0, 1, 2 } << std::vector<int64_t> { 0, 1, 2 }
                                   << std::vector<int64_t> { 0, 1, 2 } << qint64(0);
    }

    void specVectors()
    {
        QFETCH(std::vector<int64_t>, ids);
        QFETCH(Grids, images);
        QFETCH(Grids, videos);
        QFETCH(std::vector<double>, seconds);
        QFETCH(std::vector<int64_t>, t);
        QFETCH(std::vector<int64_t>, h);
        QFETCH(std::vector<int64_t>, w);
        QFETCH(qint64, delta);
        auto r = computeRopeIndex(ids, images, videos, seconds, RopeIndexParams {});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QCOMPARE(longs(r->positionIds[0]), t);
        QCOMPARE(longs(r->positionIds[1]), h);
        QCOMPARE(longs(r->positionIds[2]), w);
        QCOMPARE(r->ropeDelta, delta);
    }

    void errors_data()
    {
        QTest::addColumn<std::vector<int64_t>>("ids");
        QTest::addColumn<Grids>("images");
        QTest::addColumn<std::vector<double>>("seconds");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("grid without placeholder") << std::vector<int64_t> { T, T } << Grids { { 1, 2, 2 } }
                                                  << std::vector<double> {} << QStringLiteral("placeholders");
        QTest::newRow("two placeholders, one grid")
            << std::vector<int64_t> { VS, IMG, VE, VS, IMG, VE } << Grids { { 1, 2, 2 } } << std::vector<double> {}
            << QStringLiteral("2 image");
        QTest::newRow("too few pads") << std::vector<int64_t> { VS, IMG, IMG, VE } << Grids { { 1, 4, 4 } }
                                      << std::vector<double> {} << QStringLiteral("4 consecutive pad tokens");
        QTest::newRow("odd grid") << std::vector<int64_t> { VS, IMG, VE } << Grids { { 1, 3, 2 } }
                                  << std::vector<double> {} << QStringLiteral("merge size");
        QTest::newRow("intervals without videos") << std::vector<int64_t> { VS, IMG, VE } << Grids { { 1, 2, 2 } }
                                                  << std::vector<double> { 1.0 } << QStringLiteral("interval");
        // Without <|vision_start|> before them, pad tokens announce no image.
        QTest::newRow("pads without vision start")
            << std::vector<int64_t> { IMG, IMG, IMG, IMG, VE } << Grids { { 1, 4, 4 } } << std::vector<double> {}
            << QStringLiteral("0 image");
    }

    void errors()
    {
        QFETCH(std::vector<int64_t>, ids);
        QFETCH(Grids, images);
        QFETCH(std::vector<double>, seconds);
        QFETCH(QString, mentions);
        auto r = computeRopeIndex(ids, images, {}, seconds, RopeIndexParams {});
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains(mentions), r.error().c_str());
    }
};


FOLIO_TEST_CLASS(TstRopeIndex)
#include "tst_ropeindex.moc"
