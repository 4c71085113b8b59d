// Keyboard-only review in the review window: every review key pressed with real key events
// from the grid, the page and the search box focused; letters never typing into a cell that
// is not being edited; F1 listing what is bound; remapping a key in Settings. Each test gets
// a fresh library (a two-page invoice with hand-written results, no model) and settings.
#include "testregistry.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "ui/fieldsmodel.h"
#include "ui/jobs/boxreread.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobspanel.h"
#include "ui/keybindings.h"
#include "ui/librarypanel.h"
#include "ui/mainwindow.h"
#include "ui/pageview.h"
#include "ui/resultspanel.h"
#include "ui/settings.h"
#include "ui/shortcutsdialog.h"
#include "ui/shortcutsettingspanel.h"
#include "ui/validationpanel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>

using namespace folio;

namespace {

extract::Box box(int page, double x0, double y0, double x1, double y1)
{
    return extract::Box{page, x0, y0, x1, y1};
}

} // namespace

class TstReviewKeys : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    qint64 m_doc = 0;
    qint64 m_number = 0; // 0.97, no flags: not in the queue
    qint64 m_date = 0;   // 0.90, ambiguous date: third in the queue
    qint64 m_total = 0;  // 0.60, total mismatch: first
    qint64 m_amountCell = 0; // 0.70: second
    qint64 m_net = 0;        // 0.95: not in the queue
    qint64 m_tax = 0;
    std::unique_ptr<ui::MainWindow> m_window;

    ui::ReviewItem field(qint64 id) const { return {ui::ReviewKind::Field, id}; }
    ui::ReviewItem cell(qint64 id) const { return {ui::ReviewKind::Cell, id}; }
    ui::PageView* page() const { return m_window->pageView(); }
    QLineEdit* searchBox() const { return m_window->libraryPanel()->searchBox(); }
    QTableView* grid() const { return m_window->resultsPanel()->fieldsView(); }

    std::optional<storage::StoredField> stored(qint64 id) const
    {
        const auto results = m_window->library()->results().results(m_doc);
        for (const storage::StoredField& f : results ? results->fields : std::vector<storage::StoredField>{}) {
            if (f.id == id)
                return f;
        }
        return std::nullopt;
    }

    QWidget* focusTarget(const QString& where) const
    {
        if (where == u"grid")
            return grid();
        if (where == u"page")
            return page();
        return searchBox();
    }

    // Gives `where` the keyboard focus as a click would.
    bool focusOn(const QString& where)
    {
        QWidget* w = focusTarget(where);
        w->setFocus(Qt::MouseFocusReason);
        return QTest::qWaitFor([w] { return QApplication::focusWidget() == w; });
    }

    // A key as the person presses it: to whatever has the focus.
    void press(int key, Qt::KeyboardModifiers mods = {})
    {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key(key), mods);
    }

    void openWindow()
    {
        m_window = std::make_unique<ui::MainWindow>(m_dir->filePath(QStringLiteral("library.sqlite")));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(m_window->openDocument(m_doc));
        page()->fitPage();
    }

    static void focusData()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("grid") << QStringLiteral("grid");
        QTest::newRow("page") << QStringLiteral("page");
        QTest::newRow("search box") << QStringLiteral("search");
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        // Settings (key bindings, threshold) go to the test's folder, fresh for each test.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir->filePath(QStringLiteral("config")));
        QSettings().clear();
        auto library = storage::Library::open(m_dir->filePath(QStringLiteral("library.sqlite")));
        QVERIFY2(library, library ? "" : library.error().c_str());
        const jobs::ImportOutcome doc = jobs::importDocument(
            **library, test::sourceDir() + QStringLiteral("/resources/samples/invoice-fr-atelier-lumiere.pdf"));
        QVERIFY2(doc.status == jobs::ImportOutcome::Status::Added, qPrintable(doc.error));
        m_doc = doc.documentId;
        storage::RunRecord run;
        run.documentId = m_doc;
        run.task = QStringLiteral("invoice");
        run.modelId = QStringLiteral("test");
        run.rawOutput = QStringLiteral("{}");
        run.status = QStringLiteral("ok");
        extract::PageResult result;
        result.fields = {
            {QStringLiteral("invoice_number"), QStringLiteral("F-2026-0042"), QStringLiteral("F-2026-0042"),
             box(0, 0.70, 0.08, 0.90, 0.10), 0.97, {}, QStringLiteral("model"), {}},
            {QStringLiteral("issue_date"), QStringLiteral("04/03/2026"), QStringLiteral("2026-03-04"),
             box(0, 0.70, 0.11, 0.90, 0.13), 0.9, extract::Flag::AmbiguousDate, QStringLiteral("model"), {}},
            {QStringLiteral("net_total"), QStringLiteral("1 000,00"), QStringLiteral("1000.00"),
             box(0, 0.70, 0.72, 0.90, 0.75), 0.95, {}, QStringLiteral("model"), {}},
            {QStringLiteral("tax_total"), QStringLiteral("200,00"), QStringLiteral("200.00"),
             box(0, 0.70, 0.76, 0.90, 0.79), 0.95, {}, QStringLiteral("model"), {}},
            {QStringLiteral("grand_total"), QStringLiteral("1 255,45"), QStringLiteral("1255.45"),
             box(0, 0.70, 0.80, 0.90, 0.83), 0.6, extract::Flag::TotalMismatch, QStringLiteral("model"), {}},
        };
        extract::Table items;
        items.name = QStringLiteral("line_items");
        items.box = box(0, 0.1, 0.33, 0.9, 0.40);
        items.cells = {
            {0, 0, 1, 1, QStringLiteral("description"), {}, box(0, 0.1, 0.33, 0.5, 0.35), 1.0, {}, true, {}},
            {0, 1, 1, 1, QStringLiteral("amount"), {}, box(0, 0.7, 0.33, 0.9, 0.35), 1.0, {}, true, {}},
            {1, 0, 1, 1, QStringLiteral("Lampe"), {}, box(0, 0.1, 0.36, 0.5, 0.38), 0.95, {}, false, {}},
            {1, 1, 1, 1, QStringLiteral("489,00"), QStringLiteral("489.00"), box(0, 0.7, 0.36, 0.9, 0.38), 0.7, {}, false, {}},
        };
        result.tables = {items};
        QVERIFY((*library)->results().storePageResult(run, result));
        const auto results = (*library)->results().results(m_doc);
        QVERIFY(results && results->fields.size() == 5 && results->tables.size() == 1);
        m_number = results->fields[0].id;
        m_date = results->fields[1].id;
        m_net = results->fields[2].id;
        m_tax = results->fields[3].id;
        m_total = results->fields[4].id;
        m_amountCell = results->tables[0].cellIds[3];
        library->reset();
        openWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_dir.reset();
    }

    void tabAndShiftTabWalkTheQueueByConfidence_data() { focusData(); }
    void tabAndShiftTabWalkTheQueueByConfidence()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_total)); // 0.60 first
        QCOMPARE(page()->selectedItem(), field(m_total));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), cell(m_amountCell)); // 0.70
        QCOMPARE(m_window->resultsPanel()->currentItem(), cell(m_amountCell));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_date)); // 0.90, ambiguous
        press(Qt::Key_Tab); // the confident invoice number is skipped: back to the start
        QCOMPARE(m_window->selectedItem(), field(m_total));
        press(Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(m_window->selectedItem(), field(m_date));
        press(Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(m_window->selectedItem(), cell(m_amountCell));
        // Tab went to the review, not to the next widget (in the grid: the grid that shows the item).
        if (where == u"grid")
            QCOMPARE(QApplication::focusWidget(), m_window->resultsPanel()->viewOf(m_window->selectedItem()));
        else
            QCOMPARE(QApplication::focusWidget(), focusTarget(where));
    }

    void enterAcceptsAndMovesOn_data() { focusData(); }
    void enterAcceptsAndMovesOn()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_total));
        press(Qt::Key_Return);
        if (where == u"search") {
            // Enter in the search box searches; nothing is accepted.
            QCOMPARE(stored(m_total)->reviewStatus, storage::kReviewPending);
            QCOMPARE(m_window->selectedItem(), field(m_total));
            return;
        }
        QTRY_COMPARE(stored(m_total)->reviewStatus, storage::kReviewAccepted);
        QCOMPARE(m_window->selectedItem(), cell(m_amountCell));
        press(Qt::Key_Enter, Qt::KeypadModifier);
        QTRY_COMPARE(m_window->library()->review().edits(m_doc)->back().newValue, storage::kReviewAccepted);
        QCOMPARE(m_window->library()->review().edits(m_doc)->back().target, QStringLiteral("cell"));
        QCOMPARE(m_window->selectedItem(), field(m_date));
        QCOMPARE(m_window->reviewQueue().needingReview(), 1);
    }

    void fFlagsAndLettersTypeOnlyIntoTheSearchBox_data() { focusData(); }
    void fFlagsAndLettersTypeOnlyIntoTheSearchBox()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        press(Qt::Key_Tab);
        press(Qt::Key_Tab);
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_date));
        press(Qt::Key_N);
        press(Qt::Key_F);
        if (where == u"search") {
            QCOMPARE(searchBox()->text(), QStringLiteral("nf"));
            QCOMPARE(stored(m_date)->reviewStatus, storage::kReviewPending);
            return;
        }
        // N went on to the next item and F flagged it; nothing was typed anywhere.
        QCOMPARE(m_window->selectedItem(), field(m_total));
        QTRY_COMPARE(stored(m_total)->reviewStatus, storage::kReviewFlagged);
        QCOMPARE(stored(m_date)->field.value, QStringLiteral("04/03/2026"));
        QVERIFY(!qobject_cast<QLineEdit*>(QApplication::focusWidget()));
        QCOMPARE(searchBox()->text(), QString());
        // A letter that is bound to nothing does not move the selection or open an editor.
        press(Qt::Key_X);
        QCOMPARE(m_window->selectedItem(), field(m_total));
        QVERIFY(!qobject_cast<QLineEdit*>(QApplication::focusWidget()));
    }

    void eEditsAndEscLeavesWithoutSaving_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("grid") << QStringLiteral("grid");
        QTest::newRow("page") << QStringLiteral("page");
    }
    void eEditsAndEscLeavesWithoutSaving()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_total));
        press(Qt::Key_E);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        QCOMPARE(editor->text(), QStringLiteral("1 255,45")); // the value, nothing typed into it
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("999 fed"));
        press(Qt::Key_Escape);
        QTRY_VERIFY(!qobject_cast<QLineEdit*>(QApplication::focusWidget()));
        QCOMPARE(stored(m_total)->field.value, QStringLiteral("1 255,45"));
        QCOMPARE(m_window->undoStack()->count(), 0);
        // E again, a new value and Enter store it (Enter in the editor does not accept).
        press(Qt::Key_E);
        editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("1 255,46"));
        press(Qt::Key_Return);
        QTRY_COMPARE(stored(m_total)->field.value, QStringLiteral("1 255,46"));
        QCOMPARE(stored(m_total)->reviewStatus, storage::kReviewPending);
    }

    void eInTheSearchBoxTypes()
    {
        QVERIFY(focusOn(QStringLiteral("search")));
        press(Qt::Key_Tab);
        press(Qt::Key_E);
        QCOMPARE(searchBox()->text(), QStringLiteral("e"));
        QCOMPARE(QApplication::focusWidget(), searchBox());
    }

    void dDrawsAndEscLeavesDrawMode_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("grid") << QStringLiteral("grid");
        QTest::newRow("page") << QStringLiteral("page");
    }
    void dDrawsAndEscLeavesDrawMode()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        QVERIFY(!page()->drawMode());
        press(Qt::Key_D);
        QVERIFY(page()->drawMode());
        press(Qt::Key_Escape);
        QVERIFY(!page()->drawMode());
    }

    void ctrlFFocusesTheSearchBox_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("grid") << QStringLiteral("grid");
        QTest::newRow("page") << QStringLiteral("page");
    }
    void ctrlFFocusesTheSearchBox()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        press(Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), searchBox());
        // and Esc goes back to the review grid, where letters are shortcuts again
        press(Qt::Key_Escape);
        QCOMPARE(QApplication::focusWidget(), grid());
    }

    void pageKeysTurnPages_data() { focusData(); }
    void pageKeysTurnPages()
    {
        QFETCH(QString, where);
        QVERIFY(focusOn(where));
        QCOMPARE(m_window->currentPage(), 0);
        press(Qt::Key_PageDown);
        QCOMPARE(m_window->currentPage(), 1);
        press(Qt::Key_PageDown); // no page 3
        QCOMPARE(m_window->currentPage(), 1);
        press(Qt::Key_PageUp);
        QCOMPARE(m_window->currentPage(), 0);
    }

    void f1ListsExactlyWhatIsBound()
    {
        QVERIFY(focusOn(QStringLiteral("grid")));
        // What the window's actions are bound to, as "keys|text" rows.
        QStringList bound;
        for (const QAction* a : m_window->actions()) {
            if (!a->shortcuts().isEmpty())
                bound << QKeySequence::listToString(a->shortcuts(), QKeySequence::NativeText).replace(QStringLiteral("; "), QStringLiteral("  or  "))
                             + u'|' + a->text();
        }
        QStringList listed;
        bool shown = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<ui::ShortcutsDialog*>(QApplication::activeModalWidget());
            shown = dialog != nullptr;
            if (!dialog)
                return;
            for (int r = 0; r < dialog->table()->rowCount(); ++r)
                listed << dialog->table()->item(r, 0)->text() + u'|' + dialog->table()->item(r, 1)->text();
            dialog->reject();
        });
        press(Qt::Key_F1);
        QVERIFY(shown);
        bound.sort();
        listed.sort();
        QCOMPARE(listed, bound);
        QVERIFY(listed.contains(QStringLiteral("Tab  or  N|Next to review")));
    }

    void acceptingUpdatesOnlyThatRow()
    {
        ui::FieldsModel* model = m_window->resultsPanel()->fieldsModel();
        QSignalSpy reset(model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QVERIFY(focusOn(QStringLiteral("grid")));
        press(Qt::Key_Tab);
        press(Qt::Key_Return);
        QTRY_COMPARE(stored(m_total)->reviewStatus, storage::kReviewAccepted);
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(reset.count(), 0);
        for (const QList<QVariant>& signal : std::as_const(changed)) {
            const QModelIndex top = signal.at(0).toModelIndex();
            const QModelIndex bottom = signal.at(1).toModelIndex();
            QCOMPARE(top.row(), model->rowOf(m_total));
            QCOMPARE(bottom.row(), model->rowOf(m_total));
        }
        const QModelIndex status = model->index(model->rowOf(m_total), ui::FieldsModel::Status);
        QVERIFY2(status.data().toString().startsWith(QStringLiteral("accepted")), qPrintable(status.data().toString()));
    }

    void gridSortsByConfidenceAndShowsNormalisedCells()
    {
        QTableView* fields = grid();
        QHeaderView* header = fields->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(ui::FieldsModel::Confidence) + 5, header->height() / 2));
        QCOMPARE(fields->model()->index(0, ui::FieldsModel::Name).data().toString(), QStringLiteral("grand_total"));
        QCOMPARE(fields->model()->index(4, ui::FieldsModel::Name).data().toString(), QStringLiteral("invoice_number"));
        QCOMPARE(fields->model()->index(1, ui::FieldsModel::Status).data().toString(),
                 QStringLiteral("needs review · ambiguous_date"));
        // The cell shows its normalised form next to what is printed; editing shows the text.
        const QModelIndex amount = m_window->resultsPanel()->valueIndex(cell(m_amountCell));
        QCOMPARE(amount.data().toString(), QStringLiteral("489,00 → 489.00"));
        QCOMPARE(amount.data(Qt::EditRole).toString(), QStringLiteral("489,00"));
        // Selection still follows the item after sorting.
        QVERIFY(focusOn(QStringLiteral("grid")));
        press(Qt::Key_Tab);
        QCOMPARE(fields->currentIndex().row(), 0);
    }

    void checksPanelSelectsTheValuesOfACheck()
    {
        ui::ValidationPanel* panel = m_window->validationPanel();
        QTreeWidget* tree = panel->tree();
        const auto rowOf = [&](const QString& title) -> QTreeWidgetItem* {
            for (int i = 0; i < tree->topLevelItemCount(); ++i) {
                if (tree->topLevelItem(i)->text(1) == title)
                    return tree->topLevelItem(i);
            }
            return nullptr;
        };
        // 1000.00 + 200.00 is not 1255.45; the line amounts (489.00) are not the net either.
        QTreeWidgetItem* totals = rowOf(QStringLiteral("net + tax = grand total"));
        QVERIFY(totals);
        QCOMPARE(totals->text(0), QStringLiteral("✗ failed"));
        QVERIFY2(totals->text(2).contains(QStringLiteral("1255.45")), qPrintable(totals->text(2)));
        QTreeWidgetItem* lines = rowOf(QStringLiteral("line amounts add up to the net total"));
        QVERIFY(lines);
        QCOMPARE(lines->text(0), QStringLiteral("✗ failed"));
        // Checking writes nothing: the stored flags are as extraction left them.
        QVERIFY(!stored(m_net)->field.flags);

        m_window->findChild<QDockWidget*>(QStringLiteral("checksDock"))->raise();
        QTRY_VERIFY(tree->isVisible());
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(totals).center());
        QCOMPARE(m_window->selectedItem(), field(m_net));
        QCOMPARE(m_window->resultsPanel()->currentItem(), field(m_net));
        std::vector<ui::ReviewItem> selected = page()->selectedItems();
        std::sort(selected.begin(), selected.end(), [](const ui::ReviewItem& a, const ui::ReviewItem& b) { return a.id < b.id; });
        QCOMPARE(selected, (std::vector<ui::ReviewItem>{field(m_net), field(m_tax), field(m_total)}));
        QVERIFY(page()->isItemVisible(field(m_total)));

        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(lines).center());
        selected = page()->selectedItems();
        QCOMPARE(selected.size(), size_t(2));
        QVERIFY(std::find(selected.begin(), selected.end(), cell(m_amountCell)) != selected.end());
        QVERIFY(std::find(selected.begin(), selected.end(), field(m_net)) != selected.end());
    }

    void drawnBoxReadsTheWordsUnderIt()
    {
        // The seller's street and town as printed (text layer lines 3 and 4 of page 1).
        const auto words = m_window->library()->words(m_doc, 0);
        QVERIFY(words);
        QRectF printed;
        for (const storage::WordRecord& w : words->words) {
            if (w.lineIndex == 3 || w.lineIndex == 4)
                printed = printed.united(w.box);
        }
        QVERIFY(!printed.isEmpty());
        const QRect drag = page()->viewportRectOfBox(printed.adjusted(-0.004, -0.003, 0.004, 0.003));
        QVERIFY(page()->viewport()->rect().contains(drag));

        QVERIFY(focusOn(QStringLiteral("page")));
        press(Qt::Key_D);
        bool named = false;
        QTimer::singleShot(0, this, [&] {
            QWidget* dialog = QApplication::activeModalWidget();
            auto* name = dialog ? dialog->findChild<QLineEdit*>() : nullptr;
            if (!name)
                return;
            QTest::keyClicks(name, QStringLiteral("seller_address"));
            QTest::keyClick(name, Qt::Key_Return);
            named = true;
        });
        QWidget* vp = page()->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, drag.topLeft());
        QTest::mouseMove(vp, drag.center());
        QTest::mouseMove(vp, drag.bottomRight());
        QTest::mouseRelease(vp, Qt::LeftButton, {}, drag.bottomRight());
        QVERIFY(named);
        QTRY_VERIFY(m_window->library()->results().results(m_doc)->fields.size() == 6);
        const auto results = m_window->library()->results().results(m_doc);
        const storage::StoredField& added = results->fields.back();
        QCOMPARE(added.field.name, QStringLiteral("seller_address"));
        QCOMPARE(added.field.value, QStringLiteral("18 rue des Tanneurs\n69002 Lyon"));
        QVERIFY(added.field.box.valid());
        QCOMPARE(m_window->selectedItem(), field(added.id));
        // Adding, placing and reading are one step: one undo takes the field away.
        QCOMPARE(m_window->undoStack()->count(), 1);
        // The offscreen platform does not give the window back its focus after the dialog.
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(focusOn(QStringLiteral("page")));
        press(Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE(m_window->library()->results().results(m_doc)->fields.size(), size_t(5));
    }

    // With the tiny fixture model (random weights: its answer is noise, but a real model run
    // over the real crop, parser and storage): R stores a run and proposes what it parsed.
    void rKeyRereadsTheBoxWithTheModel()
    {
        ui::Settings settings;
        settings.modelDir = test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
        settings.dtype = QStringLiteral("f32");
        settings.save();
        QVERIFY(focusOn(QStringLiteral("grid")));
        press(Qt::Key_Tab);
        QCOMPARE(m_window->selectedItem(), field(m_total));
        const size_t runsBefore = m_window->library()->results().runs(m_doc)->size();
        QSignalSpy finished(m_window.get(), &ui::MainWindow::rereadFinished);
        press(Qt::Key_R);
        QVERIFY(finished.wait(120000));
        const auto runs = m_window->library()->results().runs(m_doc);
        QCOMPARE(runs->size(), runsBefore + 1);
        const storage::RunRecord& run = runs->back();
        QCOMPARE(run.task, QStringLiteral("custom"));
        QVERIFY2(run.modelId.contains(QStringLiteral("qwen25vl-tiny")), qPrintable(run.modelId));
        QCOMPARE(run.params.value(QStringLiteral("reread_field")).toString(), QStringLiteral("grand_total"));
        const auto parsed = jobs::parseRereadAnswer(run.rawOutput);
        qInfo("fixture model answered (%s): %s", qPrintable(run.status), qPrintable(run.rawOutput.left(60)));
        if (parsed && *parsed != QStringLiteral("1 255,45")) {
            // The proposal: the parsed answer is the value now, pending, and one undo away.
            QTRY_COMPARE(stored(m_total)->field.value, *parsed);
            QCOMPARE(stored(m_total)->reviewStatus, storage::kReviewPending);
            QCOMPARE(m_window->undoStack()->count(), 1);
        } else if (!parsed) {
            QCOMPARE(run.status, QStringLiteral("failed"));
            QCOMPARE(stored(m_total)->field.value, QStringLiteral("1 255,45"));
            QVERIFY(!m_window->jobsPanel()->errors().isEmpty());
        }
    }

    void remappedKeyIsUsedAndConflictsAreRefused()
    {
        ui::ShortcutSettingsPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTableWidget* table = panel.table();
        int flagRow = -1;
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0)->text() == u"Flag")
                flagRow = r;
        }
        QVERIFY(flagRow >= 0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualItemRect(table->item(flagRow, 0)).center());
        // E belongs to "Edit value": refused, and the panel says so.
        panel.recorder()->setFocus();
        QTest::keyClick(panel.recorder(), Qt::Key_E);
        QTRY_VERIFY(panel.message().contains(QStringLiteral("Edit value")));
        QCOMPARE(panel.bindings().keys(QStringLiteral("review.flag")), QList<QKeySequence>{QKeySequence(Qt::Key_F)});
        panel.recorder()->setFocus();
        QTest::keyClick(panel.recorder(), Qt::Key_G);
        QTRY_COMPARE(panel.bindings().keys(QStringLiteral("review.flag")), QList<QKeySequence>{QKeySequence(Qt::Key_G)});
        QCOMPARE(table->item(flagRow, 1)->text(), QStringLiteral("G"));
        panel.save();

        // A window opened now uses G; F is free.
        m_window.reset();
        openWindow();
        QVERIFY(focusOn(QStringLiteral("grid")));
        press(Qt::Key_Tab);
        press(Qt::Key_F);
        QCOMPARE(stored(m_total)->reviewStatus, storage::kReviewPending);
        press(Qt::Key_G);
        QTRY_COMPARE(stored(m_total)->reviewStatus, storage::kReviewFlagged);
    }
};

FOLIO_TEST_CLASS(TstReviewKeys)
#include "tst_reviewkeys.moc"
