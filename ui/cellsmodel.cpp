#include "ui/cellsmodel.h"

#include "ui/resultroles.h"

#include <QFont>

namespace folio::ui {

void CellsModel::setTable(const storage::StoredTable& table, const ReviewQueue& queue)
{
    std::vector<ReviewState> states;
    for (qint64 id : table.cellIds)
        states.push_back(queue.state(ReviewItem{ReviewKind::Cell, id}));
    const bool sameShape = table.id == m_table.id && table.cellIds == m_table.cellIds
                           && table.table.rows() == m_table.table.rows() && table.table.cols() == m_table.table.cols();
    if (!sameShape) {
        beginResetModel();
        m_table = table;
        m_states = std::move(states);
        m_slots.clear();
        for (size_t i = 0; i < m_table.table.cells.size(); ++i)
            m_slots.insert(QPoint(m_table.table.cells[i].col, m_table.table.cells[i].row), int(i));
        endResetModel();
        return;
    }
    const storage::StoredTable before = std::exchange(m_table, table);
    const std::vector<ReviewState> statesBefore = std::exchange(m_states, std::move(states));
    for (size_t i = 0; i < m_table.table.cells.size(); ++i) {
        const extract::Cell& a = before.table.cells[i];
        const extract::Cell& b = m_table.table.cells[i];
        const bool same = a.text == b.text && a.normalized == b.normalized && a.box == b.box && a.confidence == b.confidence
                          && a.flags == b.flags && a.evidence == b.evidence && a.row == b.row && a.col == b.col && statesBefore[i] == m_states[i];
        if (!same) {
            const QModelIndex at = index(b.row, b.col);
            Q_EMIT dataChanged(at, at);
        }
    }
}

QModelIndex CellsModel::indexOf(qint64 cellId) const
{
    for (size_t i = 0; i < m_table.cellIds.size(); ++i) {
        if (m_table.cellIds[i] == cellId)
            return index(m_table.table.cells[i].row, m_table.table.cells[i].col);
    }
    return {};
}

int CellsModel::cellAt(const QModelIndex& index) const
{
    return index.isValid() ? m_slots.value(QPoint(index.column(), index.row()), -1) : -1;
}

int CellsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_table.table.rows();
}

int CellsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_table.table.cols();
}

QVariant CellsModel::data(const QModelIndex& index, int role) const
{
    const int i = cellAt(index);
    if (i < 0)
        return {};
    const extract::Cell& c = m_table.table.cells[size_t(i)];
    const ReviewState state = m_states[size_t(i)];
    switch (role) {
    case Qt::DisplayRole:
        if (!c.normalized.isEmpty() && c.normalized != c.text)
            return QStringLiteral("%1 → %2").arg(c.text, c.normalized);
        return c.text;
    case Qt::EditRole:
        return c.text;
    case Qt::ToolTipRole:
        return reviewToolTip(c.confidence, state, c.normalized, c.flags, c.evidence);
    case Qt::BackgroundRole:
        if (const QColor tint = reviewStateTint(state); tint.isValid())
            return tint;
        return {};
    case Qt::FontRole:
        if (c.header) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case ResultRole::Kind:
        return int(ReviewKind::Cell);
    case ResultRole::Id:
        return m_table.cellIds[size_t(i)];
    case ResultRole::Confidence:
    case ResultRole::Sort:
        return c.confidence;
    case ResultRole::State:
        return int(state);
    default:
        return {};
    }
}

Qt::ItemFlags CellsModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags out = QAbstractTableModel::flags(index);
    if (cellAt(index) >= 0)
        out |= Qt::ItemIsEditable;
    return out;
}

bool CellsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const int i = cellAt(index);
    if (role != Qt::EditRole || i < 0)
        return false;
    const extract::Cell& c = m_table.table.cells[size_t(i)];
    const QString text = value.toString();
    if (text == c.text)
        return false;
    Q_EMIT valueEdited(ReviewItem{ReviewKind::Cell, m_table.cellIds[size_t(i)]}, text, c.normalized);
    return true;
}

} // namespace folio::ui
