#include "ui/fieldsmodel.h"

#include "ui/resultroles.h"

namespace folio::ui {

namespace {

    constexpr double kLowConfidence = 0.8; // drawn in red in the confidence column

} // namespace

bool FieldsModel::sameRow(const Row& a, const Row& b)
{
    const extract::Field& x = a.field.field;
    const extract::Field& y = b.field.field;
    return a.state == b.state && a.field.id == b.field.id && a.field.reviewStatus == b.field.reviewStatus
           && x.name == y.name && x.value == y.value && x.normalized == y.normalized && x.box == y.box
           && x.confidence == y.confidence && x.flags == y.flags && x.source == y.source && x.evidence == y.evidence;
}

void FieldsModel::setResults(const std::vector<storage::StoredField>& fields, const ReviewQueue& queue)
{
    std::vector<Row> rows;
    rows.reserve(fields.size());
    for (const storage::StoredField& f : fields)
        rows.push_back({f, queue.state(ReviewItem{ReviewKind::Field, f.id})});
    const bool sameShape = rows.size() == m_rows.size()
                           && std::equal(rows.begin(), rows.end(), m_rows.begin(),
                                         [](const Row& a, const Row& b) { return a.field.id == b.field.id; });
    if (!sameShape) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        if (sameRow(rows[i], m_rows[i]))
            continue;
        m_rows[i] = std::move(rows[i]);
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

int FieldsModel::rowOf(qint64 fieldId) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].field.id == fieldId)
            return int(i);
    }
    return -1;
}

int FieldsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FieldsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FieldsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size())
        return {};
    const Row& row = m_rows[size_t(index.row())];
    const extract::Field& f = row.field.field;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case Name:
            return f.name;
        case Value:
            return f.value;
        case Normalized:
            return f.normalized;
        case Confidence:
            return QString::number(f.confidence, 'f', 2);
        case Status:
            // The state and the reasons to look, in one column: "needs review · ambiguous_date".
            return (QStringList{reviewStateText(row.state)} + extract::flagsToStrings(f.flags)).join(QStringLiteral(" · "));
        }
        return {};
    case ResultRole::Sort:
        return index.column() == Confidence ? QVariant(f.confidence) : data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        if (index.column() == Name && !f.box.valid())
            return tr("This value has no box on the page.");
        return reviewToolTip(f.confidence, row.state, f.normalized, f.flags, f.evidence);
    case Qt::BackgroundRole:
        if (const QColor tint = reviewStateTint(row.state); tint.isValid())
            return tint;
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Confidence && f.confidence < kLowConfidence)
            return QColor(191, 54, 12);
        return {};
    case ResultRole::Kind:
        return int(ReviewKind::Field);
    case ResultRole::Id:
        return row.field.id;
    case ResultRole::Confidence:
        return f.confidence;
    case ResultRole::State:
        return int(row.state);
    default:
        return {};
    }
}

QVariant FieldsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Field");
    case Value:
        return tr("Value");
    case Normalized:
        return tr("Normalised");
    case Confidence:
        return tr("Conf.");
    case Status:
        return tr("Review");
    }
    return {};
}

Qt::ItemFlags FieldsModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags out = QAbstractTableModel::flags(index);
    if (index.column() == Value || index.column() == Normalized)
        out |= Qt::ItemIsEditable;
    return out;
}

bool FieldsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || size_t(index.row()) >= m_rows.size())
        return false;
    const storage::StoredField& row = m_rows[size_t(index.row())].field;
    const QString text = value.toString();
    const ReviewItem item{ReviewKind::Field, row.id};
    if (index.column() == Value && text != row.field.value)
        Q_EMIT valueEdited(item, text, row.field.normalized);
    else if (index.column() == Normalized && text != row.field.normalized)
        Q_EMIT valueEdited(item, row.field.value, text);
    else
        return false;
    return true;
}

} // namespace folio::ui
