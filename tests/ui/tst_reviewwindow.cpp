// The review window driven like a person would: real mouse and key events on the widgets,
// a temporary library with two bundled samples and hand-written results (no model needed).
#include "testregistry.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobspanel.h"
#include "ui/librarypanel.h"
#include "ui/mainwindow.h"
#include "ui/pageview.h"
#include "ui/resultspanel.h"
#include "ui/settings.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QMessageBox>
#include <QTimer>
#include <QUndoStack>

using namespace folio;

namespace {

QString sample(const char* name)
{
    return test::sourceDir() + QStringLiteral("/resources/samples/") + QLatin1String(name);
}

extract::Box box(int page, double x0, double y0, double x1, double y1)
{
    return extract::Box{page, x0, y0, x1, y1};
}

// Copies `source` `count` times into `dir`, each copy made unique by a trailing PDF comment
// (readers ignore bytes after %%EOF), so every copy is a new document for the library.
QStringList uniqueCopies(const QString& source, const QString& dir, const QString& tag, int count)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = in.readAll();
    QStringList out;
    for (int i = 0; i < count; ++i) {
        const QString path = QStringLiteral("%1/%2-%3.pdf").arg(dir, tag).arg(i);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes + "\n%" + tag.toLatin1() + QByteArray::number(i) + "\n");
        out << path;
    }
    return out;
}

} // namespace

class TstReviewWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_invoice = 0;
    qint64 m_priceList = 0;
    qint64 m_totalField = 0;  // a field with a box on page 1 of the invoice
    qint64 m_numberField = 0; // another one, near the top right
    std::unique_ptr<ui::MainWindow> m_window;

    ui::PageView* view() const { return m_window->pageView(); }

    // The grid index showing a field's value.
    QModelIndex fieldRowCell(qint64 fieldId) const
    {
        return m_window->resultsPanel()->valueIndex(ui::ReviewItem{ui::ReviewKind::Field, fieldId});
    }

    std::optional<storage::StoredField> storedField(qint64 id) const
    {
        const auto results = m_window->library()->results().results(m_invoice);
        if (!results)
            return std::nullopt;
        for (const storage::StoredField& f : results->fields) {
            if (f.id == id)
                return f;
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        m_db = m_dir.filePath(QStringLiteral("library.sqlite"));
        auto library = storage::Library::open(m_db);
        QVERIFY2(library, library ? "" : library.error().c_str());
        const jobs::ImportOutcome invoice = jobs::importDocument(**library, sample("invoice-de-nordlicht.pdf"));
        QVERIFY2(invoice.status == jobs::ImportOutcome::Status::Added, qPrintable(invoice.error));
        const jobs::ImportOutcome prices = jobs::importDocument(**library, sample("price-list-kessler.pdf"));
        QVERIFY2(prices.status == jobs::ImportOutcome::Status::Added, qPrintable(prices.error));
        m_invoice = invoice.documentId;
        m_priceList = prices.documentId;

        // Results as an extraction would store them; boxes near the printed values.
        storage::RunRecord run;
        run.documentId = m_invoice;
        run.pageIndex = 0;
        run.task = QStringLiteral("invoice");
        run.modelId = QStringLiteral("test");
        run.rawOutput = QStringLiteral("{}");
        run.status = QStringLiteral("ok");
        extract::PageResult page;
        page.page = 0;
        page.fields = {
            {QStringLiteral("invoice_number"), QStringLiteral("RE-2026-00417"), QStringLiteral("RE-2026-00417"),
             box(0, 0.787, 0.092, 0.916, 0.105), 0.97, {}, QStringLiteral("model"), {}},
            {QStringLiteral("issue_date"), QStringLiteral("15.03.2026"), QStringLiteral("2026-03-15"),
             box(0, 0.822, 0.109, 0.916, 0.121), 0.9, extract::Flag::AmbiguousDate, QStringLiteral("model"), {}},
            {QStringLiteral("grand_total"), QStringLiteral("1.255,45"), QStringLiteral("1255.45"),
             box(0, 0.70, 0.80, 0.90, 0.83), 0.6, extract::Flag::TotalMismatch, QStringLiteral("model"), {}},
        };
        extract::Table items;
        items.name = QStringLiteral("line_items");
        items.box = box(0, 0.1, 0.33, 0.9, 0.40);
        items.cells = {
            {0, 0, 1, 1, QStringLiteral("Description"), {}, box(0, 0.1, 0.33, 0.5, 0.35), 1.0, {}, true, {}},
            {0, 1, 1, 1, QStringLiteral("Amount"), {}, box(0, 0.7, 0.33, 0.9, 0.35), 1.0, {}, true, {}},
            {1, 0, 1, 1, QStringLiteral("Laserdrucker"), {}, box(0, 0.1, 0.36, 0.5, 0.38), 0.95, {}, false, {}},
            {1, 1, 1, 1, QStringLiteral("489,00"), QStringLiteral("489.00"), box(0, 0.7, 0.36, 0.9, 0.38), 0.7, {}, false, {}},
        };
        page.tables = {items};
        const auto stored = (*library)->results().storePageResult(run, page);
        QVERIFY2(stored, stored ? "" : stored.error().c_str());
        const auto results = (*library)->results().results(m_invoice);
        QVERIFY(results && results->fields.size() == 3);
        m_numberField = results->fields[0].id;
        m_totalField = results->fields[2].id;
    }

    void init()
    {
        m_window = std::make_unique<ui::MainWindow>(m_db);
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(m_window->library());
    }

    void cleanup() { m_window.reset(); }

    void searchHitOpensPageWithBoxHighlighted()
    {
        // "KF-1401" is printed only on page 2 of the price list.
        QLineEdit* search = m_window->libraryPanel()->searchBox();
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("KF-1401"));
        QTest::keyClick(search, Qt::Key_Return);
        QListWidget* hits = m_window->libraryPanel()->hitList();
        QTRY_VERIFY(hits->count() >= 1);
        QVERIFY2(hits->item(0)->text().contains(QStringLiteral("p. 2")), qPrintable(hits->item(0)->text()));
        QTest::mouseClick(hits->viewport(), Qt::LeftButton, {}, hits->visualItemRect(hits->item(0)).center());
        QCOMPARE(m_window->currentDocument(), m_priceList);
        QCOMPARE(m_window->currentPage(), 1);
        const QRectF hit = view()->highlight();
        QVERIFY(!hit.isEmpty());
        // The hit's box lies on the printed row (truth file: x 0.091..0.155, y 0.190..0.203).
        QVERIFY2(hit.top() > 0.18 && hit.bottom() < 0.21 && hit.left() < 0.16, qPrintable(QStringLiteral("%1,%2 %3x%4")
                     .arg(hit.x()).arg(hit.y()).arg(hit.width()).arg(hit.height())));
        QTRY_VERIFY(view()->viewport()->rect().contains(view()->viewportRectOfBox(hit)));
    }

    void selectingFieldRowRevealsItsBox()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        view()->setZoom(3.0); // far too large for the viewport: the total is off screen
        const ui::ReviewItem total{ui::ReviewKind::Field, m_totalField};
        QVERIFY(!view()->isItemVisible(total));
        QTableView* grid = m_window->resultsPanel()->fieldsView();
        const QModelIndex cell = fieldRowCell(m_totalField);
        QVERIFY(cell.isValid());
        QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(cell.siblingAtColumn(0)).center());
        QCOMPARE(view()->selectedItem(), total);
        QVERIFY(view()->isItemVisible(total));
    }

    void clickingBoxSelectsItsRow()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        view()->fitPage();
        const ui::ReviewItem number{ui::ReviewKind::Field, m_numberField};
        const QRect r = view()->viewportRect(number);
        QVERIFY(!r.isEmpty());
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, r.center());
        QCOMPARE(m_window->resultsPanel()->currentItem(), number);
        QCOMPARE(m_window->resultsPanel()->fieldsView()->currentIndex().row(), fieldRowCell(m_numberField).row());
    }

    void draggingBoxStoresGeometryAndUndoRestoresIt()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        view()->fitPage();
        const auto before = storedField(m_totalField);
        QVERIFY(before);
        const ui::ReviewItem total{ui::ReviewKind::Field, m_totalField};
        const QRect r = view()->viewportRect(total);
        QVERIFY(view()->isItemVisible(total));
        const QRect pageRect = view()->viewportRectOfBox(QRectF(0, 0, 1, 1));
        const QPoint delta(-60, -40);
        QWidget* vp = view()->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, r.center());
        for (int step = 1; step <= 4; ++step)
            QTest::mouseMove(vp, r.center() + delta * step / 4);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, r.center() + delta);

        QTRY_VERIFY(storedField(m_totalField)->field.box != before->field.box);
        const extract::Box moved = storedField(m_totalField)->field.box;
        // Moved by the drag in page units, same size.
        const double dx = double(delta.x()) / pageRect.width();
        const double dy = double(delta.y()) / pageRect.height();
        QVERIFY2(std::abs(moved.x0 - (before->field.box.x0 + dx)) < 0.01, qPrintable(QString::number(moved.x0)));
        QVERIFY2(std::abs(moved.y0 - (before->field.box.y0 + dy)) < 0.01, qPrintable(QString::number(moved.y0)));
        QVERIFY(std::abs(moved.width() - before->field.box.width()) < 1e-9);
        QVERIFY(storedField(m_totalField)->field.flags.testFlag(extract::Flag::Edited));

        QCOMPARE(m_window->undoStack()->count(), 1);
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(std::abs(storedField(m_totalField)->field.box.x0 - before->field.box.x0) < 1e-9);
        QVERIFY(std::abs(storedField(m_totalField)->field.box.y1 - before->field.box.y1) < 1e-9);
        // The box on screen follows storage.
        QTRY_COMPARE(view()->viewportRect(total), r);
        // Redo moves it again.
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(std::abs(storedField(m_totalField)->field.box.x0 - moved.x0) < 1e-9);
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(std::abs(storedField(m_totalField)->field.box.x0 - before->field.box.x0) < 1e-9);
    }

    void ctrlDeleteDeletesTheFieldAndUndoRestoresIt()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        view()->fitPage();
        const auto before = storedField(m_totalField);
        QVERIFY(before);
        const ui::ReviewItem total{ui::ReviewKind::Field, m_totalField};
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, view()->viewportRect(total).center());
        QCOMPARE(m_window->resultsPanel()->currentItem(), total);
        QTest::keyClick(view()->viewport(), Qt::Key_Delete, Qt::ControlModifier);
        QTRY_VERIFY(!storedField(m_totalField)); // the field, not only its box
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(storedField(m_totalField));
        const auto back = storedField(m_totalField);
        QCOMPARE(back->field.value, before->field.value);
        QCOMPARE(back->field.box, before->field.box);
        QCOMPARE(back->field.flags, before->field.flags); // no "edited" left behind
        QCOMPARE(back->reviewStatus, before->reviewStatus);
    }

    void editingValueStoresEditRecord()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        QTableView* grid = m_window->resultsPanel()->fieldsView();
        const QModelIndex cell = fieldRowCell(m_numberField);
        QVERIFY(cell.isValid());
        const QPoint at = grid->visualRect(cell).center();
        QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(grid->viewport(), Qt::LeftButton, {}, at);
        QTRY_VERIFY(qobject_cast<QLineEdit*>(QApplication::focusWidget()));
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("RE-2026-00418"));
        QTest::keyClick(editor, Qt::Key_Return);

        QTRY_COMPARE(storedField(m_numberField)->field.value, QStringLiteral("RE-2026-00418"));
        const auto edits = m_window->library()->review().edits(m_invoice);
        QVERIFY(edits);
        const auto it = std::find_if(edits->rbegin(), edits->rend(), [&](const storage::EditRecord& e) {
            return e.target == u"field" && e.targetId == m_numberField && e.what == u"value";
        });
        QVERIFY(it != edits->rend());
        QVERIFY2(it->oldValue.contains(QStringLiteral("RE-2026-00417")), qPrintable(it->oldValue));
        QVERIFY2(it->newValue.contains(QStringLiteral("RE-2026-00418")), qPrintable(it->newValue));
        // The grid shows the stored value, and undo brings the old one back.
        QTRY_COMPARE(fieldRowCell(m_numberField).data().toString(), QStringLiteral("RE-2026-00418"));
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE(storedField(m_numberField)->field.value, QStringLiteral("RE-2026-00417"));
    }

    void nextToReviewAndAccept()
    {
        QVERIFY(m_window->openDocument(m_invoice));
        view()->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_N);
        const ui::ReviewItem first = m_window->selectedItem();
        QVERIFY(!first.isNull());
        QCOMPARE(view()->selectedItem(), first);
        QTest::keyClick(view(), Qt::Key_Return);
        QTRY_COMPARE(m_window->undoStack()->count(), 1);
        QVERIFY(m_window->selectedItem() != first); // accepting moves on
        const auto edits = m_window->library()->review().edits(m_invoice);
        QVERIFY(edits && !edits->empty());
        QCOMPARE(edits->back().what, QStringLiteral("review_status"));
        QCOMPARE(edits->back().newValue, storage::kReviewAccepted);
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE(m_window->library()->review().edits(m_invoice)->back().newValue, storage::kReviewPending);
    }

    void droppedFolderIsImported()
    {
        // Inside the test's folder: the library keeps pointing at these files after this test.
        const QDir folder(m_dir.filePath(QStringLiteral("dropped")));
        QVERIFY(folder.mkpath(QStringLiteral(".")));
        const QStringList files = uniqueCopies(sample("invoice-us-cascade.pdf"), folder.path(), QStringLiteral("drop"), 3);
        QCOMPARE(files.size(), 3);
        QFile junk(folder.filePath(QStringLiteral("notes.pdf")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a pdf at all");
        junk.close();
        const size_t before = m_window->library()->listDocuments()->size();
        QSignalSpy finished(m_window.get(), &ui::MainWindow::importFinished);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(folder.path())});
        const QPoint at = m_window->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &drop);
        QVERIFY(finished.wait(20000));
        QCOMPARE(m_window->library()->listDocuments()->size(), before + 3);
        // The broken file is listed by name in the errors, and nothing else is.
        const QStringList errors = m_window->jobsPanel()->errors();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("notes.pdf")), qPrintable(errors.first()));
    }

    void extractionWithoutUsableModelReportsIt()
    {
        // Settings go to the test's folder, not the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        ui::Settings settings;
        settings.modelDir = m_dir.filePath(QStringLiteral("no-model-here"));
        settings.save();
        QVERIFY(m_window->openDocument(m_invoice));
        // The document has reviewed work (whatever ran before): the window asks first.
        const auto fields = m_window->library()->results().results(m_invoice);
        QVERIFY(fields && !fields->fields.empty());
        QVERIFY(m_window->library()->review().setFieldReviewStatus(fields->fields.front().id, storage::kReviewAccepted));
        bool asked = false;
        QTimer::singleShot(0, this, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            asked = box != nullptr;
            if (box)
                QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        });
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(asked);
        QCOMPARE(m_window->jobsPanel()->runningJobs(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobsPanel()->runningJobs(), 0, 20000);
        const QStringList errors = m_window->jobsPanel()->errors();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("no-model-here")), qPrintable(errors.first()));
        // The stored results are untouched and the document is back to review.
        QCOMPARE(m_window->library()->results().results(m_invoice)->fields.size(), size_t(3));
        QCOMPARE(m_window->library()->document(m_invoice)->doc.status, QStringLiteral("needs_review"));
    }

    void eventLoopStaysResponsiveDuringImport()
    {
        const QStringList files = uniqueCopies(sample("invoice-fr-atelier-lumiere.pdf"), m_dir.path(), QStringLiteral("busy"), 40);
        QCOMPARE(files.size(), 40);
        const size_t before = m_window->library()->listDocuments()->size();
        QSignalSpy finished(m_window.get(), &ui::MainWindow::importFinished);
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 worst = 0;
        int ticks = 0;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            last = now;
            ++ticks;
        });
        clock.start();
        timer.start();
        m_window->importPaths(files);
        QVERIFY(m_window->jobsPanel()->runningJobs() == 1);
        QVERIFY(finished.wait(60000));
        timer.stop();
        qInfo("import of 40 files took %lld ms; GUI timer ticks %d, longest gap %lld ms", clock.elapsed(), ticks, worst);
        // The event loop kept running while the files were imported (timings are for benchmarks).
        QVERIFY(ticks > 5);
        QCOMPARE(m_window->jobsPanel()->errors(), QStringList());
        QCOMPARE(m_window->library()->listDocuments()->size(), before + 40);
    }

    void cancelStopsTheJob()
    {
        const QStringList files = uniqueCopies(sample("price-list-kessler.pdf"), m_dir.path(), QStringLiteral("cancel"), 200);
        QCOMPARE(files.size(), 200);
        const size_t docsBefore = m_window->library()->listDocuments()->size();
        QSignalSpy finished(m_window.get(), &ui::MainWindow::importFinished);
        m_window->importPaths(files);
        // Let it get going (thumbnail renders of earlier tests may hold the thread pool first).
        QTRY_VERIFY_WITH_TIMEOUT(m_window->library()->listDocuments()->size() > docsBefore, 20000);
        QVERIFY(finished.isEmpty());
        auto* cancel = m_window->jobsPanel()->findChild<QPushButton*>(QStringLiteral("cancelJob"));
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        // Stopped at the next check: not every file was imported.
        const size_t added = m_window->library()->listDocuments()->size() - docsBefore;
        QVERIFY2(added > 0 && added < 200, qPrintable(QString::number(added)));
        QCOMPARE(m_window->jobsPanel()->errors(), QStringList()); // a cancel is not an error
    }
};

FOLIO_TEST_CLASS(TstReviewWindow)
#include "tst_reviewwindow.moc"
