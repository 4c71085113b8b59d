#pragma once
// FieldsModel: a document's fields as rows (name, value, normalised value, confidence,
// review state and flags) for the results grid. setResults() compares with what it shows and
// signals only the rows that changed (dataChanged), so a review edit does not rebuild the
// grid; added or deleted fields reset it. Editing the value or normalised column changes
// nothing here: valueEdited() asks the window to store the edit, and the stored result comes
// back through setResults(). GUI thread only.

#include "storage/resultrecords.h"
#include "ui/reviewqueue.h"

#include <QAbstractTableModel>

#include <vector>

namespace folio::ui {

class FieldsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Value, Normalized, Confidence, Status, ColumnCount };

    explicit FieldsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    void setResults(const std::vector<storage::StoredField>& fields, const ReviewQueue& queue);
    // The row of a field; -1 if not shown.
    int rowOf(qint64 fieldId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

Q_SIGNALS:
    void valueEdited(const folio::ui::ReviewItem& item, const QString& value, const QString& normalized);

private:
    struct Row {
        storage::StoredField field;
        ReviewState state = ReviewState::Pending;
    };
    static bool sameRow(const Row& a, const Row& b);

    std::vector<Row> m_rows;
};

} // namespace folio::ui
