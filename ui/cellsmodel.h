#pragma once
// CellsModel: one stored table as a grid of its cells. A cell shows its text and, where the
// normaliser read it differently ("489,00"), its normalised form beside it ("489,00 → 489.00");
// editing shows and changes the text only. setTable() signals only the cells that changed;
// a table whose cells were added or removed resets. Like FieldsModel it stores nothing:
// valueEdited() asks the window to. GUI thread only.

#include "storage/resultrecords.h"
#include "ui/reviewqueue.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPoint>

namespace folio::ui {

class CellsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit CellsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    void setTable(const storage::StoredTable& table, const ReviewQueue& queue);
    const storage::StoredTable& table() const { return m_table; }
    // Grid slot of a cell (its top-left, for spans); invalid if not in this table.
    QModelIndex indexOf(qint64 cellId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

Q_SIGNALS:
    void valueEdited(const folio::ui::ReviewItem& item, const QString& value, const QString& normalized);

private:
    int cellAt(const QModelIndex& index) const; // index into m_table.table.cells, -1 for an empty slot
    bool sameCells(const storage::StoredTable& other, const std::vector<ReviewState>& states) const;

    storage::StoredTable m_table;
    std::vector<ReviewState> m_states; // parallel to the cells
    QHash<QPoint, int> m_slots;        // (col, row) of a cell's top-left -> cell index
};

} // namespace folio::ui
