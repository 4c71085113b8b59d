// FieldsModel's tooltip says why a value has its confidence, from the evidence stored with it
// (extract/confidence.h), and a changed evidence alone updates the row.

#include "testregistry.h"

#include "extract/types/confidenceevidence.h"
#include "ui/fieldsmodel.h"
#include "ui/reviewqueue.h"

#include <QObject>
#include <QSignalSpy>
#include <QTest>

using namespace folio;

class TstFieldsModel : public QObject {
    Q_OBJECT

    static storage::StoredField field(const QString& evidence)
    {
        storage::StoredField f;
        f.id = 7;
        f.runId = 1;
        f.field.name = QStringLiteral("grand_total");
        f.field.value = QStringLiteral("1 255,45");
        f.field.normalized = QStringLiteral("1255.45");
        f.field.confidence = 0.9;
        f.field.source = QStringLiteral("model");
        f.field.evidence = extract::ConfidenceEvidence::fromText(evidence);
        return f;
    }

private Q_SLOTS:
    void toolTipGivesTheReasons()
    {
        ui::FieldsModel model;
        model.setResults({field(QStringLiteral("tok=-0.105;page=agree:text:1;norm=ok;checks=0/1"))}, ui::ReviewQueue());
        const QString tip = model.index(0, ui::FieldsModel::Value).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("Why: ")), qPrintable(tip));
        // The failed check is the strongest signal here, so it is named.
        QVERIFY2(tip.contains(QStringLiteral("check"), Qt::CaseInsensitive), qPrintable(tip));
    }

    void noEvidenceNoReasons()
    {
        ui::FieldsModel model;
        model.setResults({field(QString())}, ui::ReviewQueue());
        const QString tip = model.index(0, ui::FieldsModel::Value).data(Qt::ToolTipRole).toString();
        QVERIFY2(!tip.contains(QStringLiteral("Why: ")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Confidence 0.90")), qPrintable(tip));
    }

    void changedEvidenceUpdatesTheRow()
    {
        ui::FieldsModel model;
        model.setResults({field(QStringLiteral("tok=-0.105;norm=ok"))}, ui::ReviewQueue());
        QSignalSpy changed(&model, &ui::FieldsModel::dataChanged);
        model.setResults({field(QStringLiteral("tok=-0.105;norm=ok"))}, ui::ReviewQueue());
        QCOMPARE(changed.count(), 0);
        model.setResults({field(QStringLiteral("tok=-0.105;norm=ok;checks=0/1"))}, ui::ReviewQueue());
        QCOMPARE(changed.count(), 1);
    }
};

FOLIO_TEST_CLASS(TstFieldsModel)
#include "tst_fieldsmodel.moc"
