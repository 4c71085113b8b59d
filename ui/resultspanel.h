#pragma once
// ResultsPanel: a document's extracted fields and tables as grids over item models
// (ui/fieldsmodel.h, ui/cellsmodel.h), PPOCRLabel-style list synced with the boxes.
// Selecting a row or cell reports its ReviewItem; selectItem() goes the other way. Editing a
// value reports it — the panel changes nothing itself; the main window stores the edit and
// calls setResults() again, which updates only the rows and cells that changed. The fields
// grid sorts by any column (click a header; confidence sorts as a number); a typed letter
// never opens an editor (E, F2 or a double click does). GUI thread only.

#include "storage/resultrecords.h"
#include "ui/reviewitem.h"

#include <QWidget>

#include <vector>

class QLabel;
class QModelIndex;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace folio::ui {

class CellsModel;
class FieldsModel;
class ReviewQueue;

class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget* parent = nullptr);

    // Shows these results with the queue's review states; keeps the selection.
    void setResults(const storage::DocumentResults& results, const ReviewQueue& queue);
    void clear();

    void selectItem(const ReviewItem& item);
    ReviewItem currentItem() const;
    // Opens the editor on the item's value and focuses it; false if the item is not shown.
    bool editItem(const ReviewItem& item);
    // Gives the grid showing the selection the keyboard focus.
    void focusGrid();

    // The grid and the view index that show an item's value (for tests and focus); null and
    // invalid if none.
    QTableView* viewOf(const ReviewItem& item) const;
    QModelIndex valueIndex(const ReviewItem& item) const;
    QTableView* fieldsView() const { return m_fieldsView; }
    FieldsModel* fieldsModel() const { return m_fields; }
    QSortFilterProxyModel* fieldsProxy() const { return m_fieldsProxy; }

Q_SIGNALS:
    void itemSelected(const folio::ui::ReviewItem& item);
    void valueEdited(const folio::ui::ReviewItem& item, const QString& value, const QString& normalized);

private:
    QTableView* makeGrid();
    void rebuildTables(const std::vector<storage::StoredTable>& tables, const ReviewQueue& queue);
    void onCurrentChanged(const QModelIndex& current);
    // Closes an open editor (saving it, as leaving a cell does) in grids other than `keep`.
    void commitEditorsExcept(const QTableView* keep);
    // The engines that read the fields (e-invoice, model, …), above the grids.
    void showEngines(const storage::DocumentResults& results);

    QTabWidget* m_tabs;
    QTableView* m_fieldsView;
    FieldsModel* m_fields;
    QSortFilterProxyModel* m_fieldsProxy;
    std::vector<std::pair<QTableView*, CellsModel*>> m_tables; // in tab order after the fields
    QLabel* m_empty;
    QLabel* m_engine;
    bool m_selecting = false;
};

} // namespace folio::ui
