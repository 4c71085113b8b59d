// mapModelBox: model pixels of the resized (possibly rotated) image -> normalised unrotated page.
#include "testregistry.h"

#include "extract/boxmapper.h"

#include <QObject>
#include <QTest>

#include <array>
#include <cmath>

using folio::extract::Box;
using folio::extract::Flag;
using folio::extract::Flags;
using folio::extract::mapModelBox;
using folio::extract::ModelFrame;

namespace {

struct Pt {
    double x, y;
};

// Rotates a pixel point of a w×h image by 90° clockwise; the image becomes h×w.
// Written in pixel terms on purpose: independent of the normalised formulas in the mapper.
Pt rotate90cw(Pt p, double h) { return Pt{h - p.y, p.x}; }

} // namespace

Q_DECLARE_METATYPE(ModelFrame)

class TstBoxMapper : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void handComputed_data();
    void handComputed();
    void rejected_data();
    void rejected();
};

// Page sizes rendered at a DPI, then smart_resize'd under a pixel budget. The resized sizes
// were computed with spec §3.3's formula in Python (unrotated orientation; smart_resize is
// symmetric, so a page rendered at 90/270 gets the swapped size).
void TstBoxMapper::roundTrip_data()
{
    QTest::addColumn<int>("resizedW"); // of the unrotated page
    QTest::addColumn<int>("resizedH");
    QTest::addColumn<int>("rotation");
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("y0");
    QTest::addColumn<double>("x1");
    QTest::addColumn<double>("y1");

    struct Size {
        const char* name;
        int w, h;
    };
    const std::array<Size, 12> sizes{{
        {"A4 150dpi max", 1232, 1764},
        {"A4 150dpi 1280tok", 840, 1176},
        {"A4 200dpi max", 1652, 2352},
        {"A4 any 512tok", 532, 728},
        {"letter 150dpi max", 1288, 1652},
        {"letter 200dpi max", 1708, 2212},
        {"letter 1280tok", 868, 1120},
        {"letter 512tok", 532, 700},
        {"A4 landscape 150dpi max", 1764, 1232},
        {"A4 landscape 200dpi max", 2352, 1652},
        {"A4 landscape 1280tok", 1176, 840},
        {"spec 1532x1014 -> 1008x1540", 1008, 1540},
    }};
    struct PageRect {
        const char* name;
        double x0, y0, x1, y1;
    };
    const std::array<PageRect, 4> rects{{
        {"header line", 0.08, 0.05, 0.62, 0.075},
        {"total bottom right", 0.70, 0.86, 0.93, 0.89},
        {"full page", 0.0, 0.0, 1.0, 1.0},
        {"small stamp", 0.41, 0.52, 0.44, 0.53},
    }};
    for (const Size& s : sizes) {
        for (int rot : {0, 90, 180, 270}) {
            for (const PageRect& r : rects) {
                QTest::addRow("%s rot%d %s", s.name, rot, r.name) << s.w << s.h << rot << r.x0 << r.y0 << r.x1 << r.y1;
            }
        }
    }
}

void TstBoxMapper::roundTrip()
{
    QFETCH(int, resizedW);
    QFETCH(int, resizedH);
    QFETCH(int, rotation);
    QFETCH(double, x0);
    QFETCH(double, y0);
    QFETCH(double, x1);
    QFETCH(double, y1);

    // Forward: the page (resizedW × resizedH pixels unrotated) rotated clockwise in 90° steps,
    // as the renderer would hand it to the model.
    std::array<Pt, 4> corners{{{x0 * resizedW, y0 * resizedH}, {x1 * resizedW, y0 * resizedH},
        {x0 * resizedW, y1 * resizedH}, {x1 * resizedW, y1 * resizedH}}};
    double w = resizedW, h = resizedH;
    for (int step = 0; step < rotation / 90; ++step) {
        for (Pt& p : corners)
            p = rotate90cw(p, h);
        std::swap(w, h);
    }
    double mx1 = 1e9, my1 = 1e9, mx2 = -1e9, my2 = -1e9;
    for (const Pt& p : corners) {
        mx1 = std::min(mx1, p.x);
        my1 = std::min(my1, p.y);
        mx2 = std::max(mx2, p.x);
        my2 = std::max(my2, p.y);
    }
    // The model writes integers.
    mx1 = std::round(mx1), my1 = std::round(my1), mx2 = std::round(mx2), my2 = std::round(my2);

    const ModelFrame frame{int(w), int(h), rotation};
    const double tol = 0.5 / std::min(w, h) + 1e-12;

    Flags flags;
    const auto box = mapModelBox(mx1, my1, mx2, my2, frame, 3, &flags);
    QVERIFY(box.has_value());
    QCOMPARE(box->page, 3);
    QVERIFY2(std::abs(box->x0 - x0) <= tol, qPrintable(QString::number(box->x0)));
    QVERIFY2(std::abs(box->y0 - y0) <= tol, qPrintable(QString::number(box->y0)));
    QVERIFY2(std::abs(box->x1 - x1) <= tol, qPrintable(QString::number(box->x1)));
    QVERIFY2(std::abs(box->y1 - y1) <= tol, qPrintable(QString::number(box->y1)));
    QVERIFY(box->valid());
    QCOMPARE(flags, Flags{});

    // Swapped corners, as the model sometimes writes them, give the same box.
    const auto swapped = mapModelBox(mx2, my2, mx1, my1, frame, 3);
    QVERIFY(swapped.has_value());
    QCOMPARE(*swapped, *box);
    const auto swappedX = mapModelBox(mx2, my1, mx1, my2, frame, 3);
    QVERIFY(swappedX.has_value());
    QCOMPARE(*swappedX, *box);

    // Overshooting the image by 20 px on every side clamps back to the image, flagged.
    Flags oobFlags;
    const auto over = mapModelBox(-20, -20, w + 20, h + 20, frame, 3, &oobFlags);
    QVERIFY(over.has_value());
    QCOMPARE(*over, (Box{3, 0, 0, 1, 1}));
    QVERIFY(oobFlags.testFlag(Flag::OutOfBounds));
}

// Expected values worked out by hand on paper (see the comments per row).
void TstBoxMapper::handComputed_data()
{
    QTest::addColumn<int>("frameW");
    QTest::addColumn<int>("frameH");
    QTest::addColumn<int>("rotation");
    QTest::addColumn<QList<double>>("model"); // x1 y1 x2 y2
    QTest::addColumn<QList<double>>("expected"); // x0 y0 x1 y1
    QTest::addColumn<bool>("outOfBounds");

    using L = QList<double>;
    // Upright: plain division.
    QTest::newRow("rot0") << 1000 << 500 << 0 << L{100, 50, 300, 150} << L{0.1, 0.1, 0.3, 0.3} << false;
    // The model saw the page turned clockwise: the image's top strip is the page's left strip,
    // the image's left strip is the page's bottom strip.
    QTest::newRow("rot90") << 1000 << 500 << 90 << L{100, 50, 300, 150} << L{0.1, 0.7, 0.3, 0.9} << false;
    // Upside down: both axes mirrored.
    QTest::newRow("rot180") << 1000 << 500 << 180 << L{100, 50, 300, 150} << L{0.7, 0.7, 0.9, 0.9} << false;
    // Turned counter-clockwise: the image's top strip is the page's right strip, the image's
    // left strip is the page's top strip.
    QTest::newRow("rot270") << 1000 << 500 << 270 << L{100, 50, 300, 150} << L{0.7, 0.1, 0.9, 0.3} << false;
    QTest::newRow("rot-90 == 270") << 1000 << 500 << -90 << L{100, 50, 300, 150} << L{0.7, 0.1, 0.9, 0.3} << false;
    QTest::newRow("rot450 == 90") << 1000 << 500 << 450 << L{100, 50, 300, 150} << L{0.1, 0.7, 0.3, 0.9} << false;
    // Reversed corners are swapped.
    QTest::newRow("x1>x2,y1>y2") << 1000 << 500 << 0 << L{300, 150, 100, 50} << L{0.1, 0.1, 0.3, 0.3} << false;
    // Overshoot within 2 px: clamped silently.
    QTest::newRow("overshoot 2px") << 1000 << 500 << 0 << L{-2, 400, 1002, 502} << L{0, 0.8, 1, 1} << false;
    // Overshoot by 3 px: clamped and flagged.
    QTest::newRow("overshoot 3px right") << 1000 << 500 << 0 << L{500, 0, 1003, 250} << L{0.5, 0, 1, 0.5} << true;
    QTest::newRow("negative left") << 1000 << 500 << 0 << L{-40, 100, 200, 200} << L{0, 0.2, 0.2, 0.4} << true;
    QTest::newRow("overshoot rot90") << 1000 << 500 << 90 << L{900, 400, 1100, 600} << L{0.8, 0, 1, 0.1} << true;
    // Fractional model coordinates (other engines) are accepted as they are.
    QTest::newRow("fractional") << 1000 << 500 << 0 << L{250.5, 125.25, 750, 375} << L{0.2505, 0.2505, 0.75, 0.75} << false;
}

void TstBoxMapper::handComputed()
{
    QFETCH(int, frameW);
    QFETCH(int, frameH);
    QFETCH(int, rotation);
    QFETCH(QList<double>, model);
    QFETCH(QList<double>, expected);
    QFETCH(bool, outOfBounds);

    Flags flags = Flag::Edited; // existing flags are kept
    const auto box = mapModelBox(model[0], model[1], model[2], model[3], ModelFrame{frameW, frameH, rotation}, 0, &flags);
    QVERIFY(box.has_value());
    QCOMPARE(box->page, 0);
    QCOMPARE(box->x0, expected[0]);
    QCOMPARE(box->y0, expected[1]);
    QCOMPARE(box->x1, expected[2]);
    QCOMPARE(box->y1, expected[3]);
    QCOMPARE(flags.testFlag(Flag::OutOfBounds), outOfBounds);
    QVERIFY(flags.testFlag(Flag::Edited));
}

void TstBoxMapper::rejected_data()
{
    QTest::addColumn<ModelFrame>("frame");
    QTest::addColumn<QList<double>>("model");

    using L = QList<double>;
    const ModelFrame ok{1000, 500, 0};
    QTest::newRow("zero width") << ok << L{100, 100, 100, 200};
    QTest::newRow("zero height") << ok << L{100, 200, 300, 200};
    QTest::newRow("entirely right of image") << ok << L{1100, 100, 1200, 200};
    QTest::newRow("entirely above image") << ok << L{100, -300, 200, -10};
    QTest::newRow("touches edge only") << ok << L{1000, 100, 1050, 200};
    QTest::newRow("NaN") << ok << L{std::nan(""), 100, 200, 200};
    QTest::newRow("infinite") << ok << L{0, 0, HUGE_VAL, 200};
    QTest::newRow("rotation 45") << ModelFrame{1000, 500, 45} << L{100, 100, 200, 200};
    QTest::newRow("empty frame") << ModelFrame{0, 500, 0} << L{100, 100, 200, 200};
    QTest::newRow("negative frame") << ModelFrame{1000, -1, 0} << L{100, 100, 200, 200};
}

void TstBoxMapper::rejected()
{
    QFETCH(ModelFrame, frame);
    QFETCH(QList<double>, model);
    Flags flags;
    QVERIFY(!mapModelBox(model[0], model[1], model[2], model[3], frame, 0, &flags).has_value());
    QCOMPARE(flags, Flags{});
}

FOLIO_TEST_CLASS(TstBoxMapper)
#include "tst_boxmapper.moc"
