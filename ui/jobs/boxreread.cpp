#include "ui/jobs/boxreread.h"

#include "extract/codefence.h"
#include "ingest/documentopener.h"
#include "ingest/pagegeometry.h"
#include "storage/library.h"
#include "storage/resultstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace folio::jobs {

namespace {

    constexpr double kMarginFraction = 0.01; // of the page: glyphs drawn past a tight box still show
    constexpr int kMaxNewTokens = 96;        // one value, not a page
    const QString kPromptVersion = QStringLiteral("reread-1");

    QString prompt(const QString& fieldName)
    {
        return QStringLiteral("This image is a small part of a document page: the value of \"%1\". "
                              "Write exactly the text printed in it, as printed, and nothing else.")
            .arg(fieldName);
    }

} // namespace

Result<QString> parseRereadAnswer(const QString& text)
{
    QString value = text.trimmed();
    if (const auto fences = extract::findCodeFences(value); !fences.empty())
        value = fences.front().content.trimmed();
    // A model trained to answer in JSON may still wrap the value: {"value": "…"} or {"grand_total": "…"}.
    const QJsonDocument json = QJsonDocument::fromJson(value.toUtf8());
    if (json.isObject() && json.object().size() == 1)
        value = json.object().begin()->toVariant().toString().trimmed();
    if (value.size() >= 2 && ((value.startsWith(u'"') && value.endsWith(u'"')) || (value.startsWith(u'\'') && value.endsWith(u'\''))))
        value = value.mid(1, value.size() - 2).trimmed();
    if (value.isEmpty())
        return makeError("the model read nothing in the box");
    return value;
}

Result<BoxReread> rereadBox(storage::Library& library, extract::Engine& engine, const BoxRereadRequest& request,
                            const std::atomic<bool>* cancel)
{
    const auto detail = library.document(request.documentId);
    if (!detail)
        return makeError(detail.error());
    const QString where = QStringLiteral("%1 page %2").arg(detail->doc.path).arg(request.pageIndex + 1);
    if (request.pageIndex < 0 || size_t(request.pageIndex) >= detail->pages.size())
        return makeError(QStringLiteral("%1: no such page").arg(where).toStdString());
    const QRectF box = request.box.normalized() & QRectF(0, 0, 1, 1);
    if (box.isEmpty())
        return makeError(QStringLiteral("%1: the box to re-read is empty or off the page").arg(where).toStdString());
    auto opened = ingest::openDocument(detail->doc.path);
    if (!opened)
        return makeError(opened.error());
    auto image = (*opened)->render(request.pageIndex, request.dpi, cancel);
    if (!image)
        return makeError(image.error());

    // The render is the page as displayed; the stored box is on the unrotated page.
    const QRectF shown = ingest::unrotatedToDisplayed(box, detail->pages[size_t(request.pageIndex)].rotation)
                             .adjusted(-kMarginFraction, -kMarginFraction, kMarginFraction, kMarginFraction)
        & QRectF(0, 0, 1, 1);
    const QRect pixels = QRectF(shown.x() * image->width(), shown.y() * image->height(), shown.width() * image->width(),
                                shown.height() * image->height())
                             .toAlignedRect()
        & image->rect();
    extract::EngineRequest call;
    call.image = image->copy(pixels);
    call.pageIndex = request.pageIndex;
    call.prompt = prompt(request.fieldName);
    call.maxNewTokens = kMaxNewTokens;
    call.maxPixels = request.maxPixels;
    call.draft = false;

    storage::RunRecord run;
    run.documentId = request.documentId;
    run.pageIndex = request.pageIndex;
    run.task = QStringLiteral("custom");
    run.modelId = engine.modelId();
    run.promptVersion = kPromptVersion;
    run.params = QJsonObject{{QStringLiteral("reread_field"), request.fieldName},
                             {QStringLiteral("box"), QJsonArray{box.left(), box.top(), box.right(), box.bottom()}},
                             {QStringLiteral("crop_px"), QJsonArray{pixels.x(), pixels.y(), pixels.width(), pixels.height()}}};
    run.startedAt = QDateTime::currentDateTimeUtc();
    const auto output = engine.run(call, {}, cancel);
    run.finishedAt = QDateTime::currentDateTimeUtc();
    Result<QString> value = output ? parseRereadAnswer(output->text) : Result<QString>(makeError(output.error()));
    if (output) {
        run.rawOutput = output->text;
        run.resizedWidth = output->resizedWidth;
        run.resizedHeight = output->resizedHeight;
        run.timings = output->timings;
    }
    const bool cancelled = cancel && cancel->load();
    run.status = value ? QStringLiteral("ok") : cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed");
    if (!value)
        run.error = QString::fromStdString(value.error());
    const auto stored = library.results().storeRun(run);
    if (!stored)
        return makeError(stored.error());
    if (!value)
        return makeError(QStringLiteral("%1: re-reading %2 failed: %3").arg(where, request.fieldName, run.error).toStdString());
    return BoxReread{*value, *stored};
}

} // namespace folio::jobs
