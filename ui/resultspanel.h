#pragma once
// ResultsPanel: a document's extracted fields and tables as editable grids (PPOCRLabel-style
// list synced with the boxes). Selecting a row or cell reports its ReviewItem; selectItem()
// goes the other way. Editing a value reports it — the panel changes nothing itself; the main
// window stores the edit and reloads. GUI thread only.

#include "storage/resultrecords.h"
#include "ui/reviewitem.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QTabWidget;
class QTableWidget;
class QTableWidgetItem;

namespace folio::ui {

class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget* parent = nullptr);

    // Shows these results; keeps the selected item selected when it is still there.
    void setResults(const storage::DocumentResults& results);
    void clear();

    void selectItem(const ReviewItem& item);
    ReviewItem currentItem() const;
    // The grid cell that shows an item's value (for tests and keyboard focus); null if none.
    QTableWidgetItem* valueCell(const ReviewItem& item) const;
    QTableWidget* fieldsTable() const { return m_fields; }

Q_SIGNALS:
    void itemSelected(const folio::ui::ReviewItem& item);
    void valueEdited(const folio::ui::ReviewItem& item, const QString& value, const QString& normalized);

private:
    void addTableTab(const storage::StoredTable& table, int number);
    // The engines that read the fields (e-invoice, model, …), above the grids.
    void showEngines(const storage::DocumentResults& results);
    void onItemChanged(QTableWidgetItem* cell);
    void onCurrentChanged(QTableWidgetItem* cell);
    QTableWidget* makeGrid();

    QTabWidget* m_tabs;
    QTableWidget* m_fields;
    QLabel* m_empty;
    QLabel* m_engine;
    QHash<ReviewItem, QTableWidgetItem*> m_valueCells;
    QHash<ReviewItem, QString> m_normalized; // to send the unchanged half of a value edit
    QHash<ReviewItem, QString> m_values;
    bool m_filling = false;
};

} // namespace folio::ui
