#pragma once
// What the results models (ui/fieldsmodel.h, ui/cellsmodel.h) give their views beyond text:
// the ReviewItem behind an index, its confidence (for sorting) and its review state, plus
// the look shared by both grids (row tint by state, tooltip). GUI thread only.

#include "ui/reviewitem.h"
#include "ui/reviewqueue.h"

#include <QColor>
#include <QModelIndex>

namespace folio::ui {

namespace ResultRole {
    enum : int {
        Kind = Qt::UserRole, // int(ReviewKind)
        Id,                  // qint64
        Confidence,          // double
        State,               // int(ReviewState)
        Sort,                // what the column sorts by (confidence as a number)
    };
}

// The item behind a model (or proxy) index; null for an empty grid slot.
ReviewItem reviewItemAt(const QModelIndex& index);

// Accepted rows are done (green), flagged and doubtful ones ask to be looked at.
QColor reviewStateTint(ReviewState state);

// "Confidence 0.62 · needs review\nNormalised: 1255.45\nFlags: total_mismatch".
QString reviewToolTip(double confidence, ReviewState state, const QString& normalized, extract::Flags flags,
                      const extract::ConfidenceEvidence& evidence);

} // namespace folio::ui
