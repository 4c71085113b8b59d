// SettingsDialog's quantization choice: picked with the keyboard, it shows what it costs and is
// what the dialog returns (and what LocalEngine is given).
#include "testregistry.h"

#include "ui/settingsdialog.h"

#include <QComboBox>
#include <QLabel>
#include <QTest>

using namespace folio;

class TstSettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quantizationComboShowsItsCost()
    {
        ui::Settings s;
        QCOMPARE(s.quant, QStringLiteral("int8")); // the default
        ui::SettingsDialog dialog(s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("quant"));
        auto* hint = dialog.findChild<QLabel*>(QStringLiteral("quantHint"));
        QVERIFY(combo && hint);
        QCOMPARE(combo->currentText(), QStringLiteral("int8"));
        QCOMPARE(hint->text(), ui::Settings::quantHint(QStringLiteral("int8")));

        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down); // none, int8, int4
        QCOMPARE(combo->currentText(), QStringLiteral("int4"));
        QCOMPARE(hint->text(), ui::Settings::quantHint(QStringLiteral("int4")));
        QVERIFY(hint->text() != ui::Settings::quantHint(QStringLiteral("int8")));
        QCOMPARE(dialog.settings().quant, QStringLiteral("int4"));

        QTest::keyClick(combo, Qt::Key_Home);
        QCOMPARE(dialog.settings().quant, QStringLiteral("none"));
        QVERIFY(hint->text().contains(QStringLiteral("exact")));
    }
};

FOLIO_TEST_CLASS(TstSettingsDialog)
#include "tst_settingsdialog.moc"
