#include "ui/resultroles.h"

#include "extract/confidence.h"

#include <QCoreApplication>

namespace folio::ui {

ReviewItem reviewItemAt(const QModelIndex& index)
{
    const QVariant id = index.data(ResultRole::Id);
    if (!id.isValid())
        return {};
    return ReviewItem{ReviewKind(index.data(ResultRole::Kind).toInt()), id.toLongLong()};
}

QColor reviewStateTint(ReviewState state)
{
    switch (state) {
    case ReviewState::Flagged:
        return QColor(255, 224, 178);
    case ReviewState::Accepted:
        return QColor(220, 245, 222);
    case ReviewState::NeedsReview:
        return QColor(255, 243, 224);
    case ReviewState::Edited:
        return QColor(227, 236, 250);
    case ReviewState::Pending:
        break;
    }
    return {};
}

QString reviewToolTip(double confidence, ReviewState state, const QString& normalized, extract::Flags flags,
                      const extract::ConfidenceEvidence& evidence)
{
    const auto tr = [](const char* s) { return QCoreApplication::translate("folio::ui::ResultsPanel", s); };
    QString tip = tr("Confidence %1 · %2").arg(confidence, 0, 'f', 2).arg(reviewStateText(state));
    if (!normalized.isEmpty())
        tip += tr("\nNormalised: %1").arg(normalized);
    const QStringList names = extract::flagsToStrings(flags);
    if (!names.isEmpty())
        tip += tr("\nFlags: %1").arg(names.join(QStringLiteral(", ")));
    // Rows stored before the evidence was kept (and the user's own values) have none to show.
    if (evidence != extract::ConfidenceEvidence{}) {
        const QStringList reasons = extract::combineConfidence(evidence).reasons;
        if (!reasons.isEmpty())
            tip += tr("\nWhy: %1").arg(reasons.join(QStringLiteral("; ")));
    }
    return tip;
}

} // namespace folio::ui
