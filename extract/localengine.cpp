// The adapter: the only file of extract/ that talks to inference/.
#include "extract/localengine.h"

#include "extract/modelframe.h"

#include "inference/engine.h"
#include "inference/engineservice.h"
#include "inference/imageprocessor.h"

#include <QDir>

namespace folio::extract {

namespace {

    inference::Image toInferenceImage(const QImage& page)
    {
        const QImage rgb = page.convertToFormat(QImage::Format_RGB888);
        inference::Image image;
        image.width = rgb.width();
        image.height = rgb.height();
        image.rgb.resize(size_t(rgb.width()) * size_t(rgb.height()) * 3);
        for (int y = 0; y < rgb.height(); ++y)
            std::copy_n(rgb.constScanLine(y), size_t(rgb.width()) * 3, image.rgb.data() + size_t(y) * size_t(rgb.width()) * 3);
        return image;
    }

} // namespace

Result<QSize> modelInputSize(QSize imageSize, qint64 minPixels, qint64 maxPixels)
{
    // Patch 14 × merge 2: Qwen2.5-VL's resize factor.
    const Result<std::pair<int, int>> hw = inference::smartResize(imageSize.height(), imageSize.width(), 28, minPixels, maxPixels);
    if (!hw)
        return makeError(hw.error());
    return QSize(hw->second, hw->first);
}

LocalEngine::LocalEngine(std::unique_ptr<inference::EngineOptions> options, QString modelId, QString loadReport)
    : m_options(std::move(options))
    , m_modelId(std::move(modelId))
    , m_loadReport(std::move(loadReport))
{
}

LocalEngine::~LocalEngine() = default;

Result<std::unique_ptr<LocalEngine>> LocalEngine::load(const LocalEngineOptions& options, const std::atomic<bool>* cancel)
{
    auto o = std::make_unique<inference::EngineOptions>();
    o->modelDir = QDir(options.modelDir).absolutePath().toStdString();
    o->device = options.device.toStdString();
    o->dtype = options.dtype.toStdString();
    o->threads = options.threads;
    const Result<inference::QuantScheme> quant = inference::parseQuantScheme(options.quant.toStdString());
    if (!quant)
        return makeError(quant.error());
    o->quant = *quant;
    const Result<inference::EngineInfo> loaded = inference::EngineService::instance().load(*o, cancel);
    if (!loaded)
        return makeError(loaded.error());
    const QString dtype = QString::fromStdString(loaded->dtype);
    const QString id = o->quant == inference::QuantScheme::None
        ? QStringLiteral("%1 (%2, %3)").arg(QDir(options.modelDir).dirName(), dtype, options.device)
        : QStringLiteral("%1 (%2, %3, %4)").arg(QDir(options.modelDir).dirName(), dtype, options.quant, options.device);
    const QString report = QString::fromStdString(inference::engineInfoText(*loaded)).trimmed();
    return std::unique_ptr<LocalEngine>(new LocalEngine(std::move(o), id, report));
}

Result<EngineOutput> LocalEngine::run(const EngineRequest& request, const TokenProgress& progress,
                                      const std::atomic<bool>* cancel)
{
    inference::GenerationRequest g;
    g.images.push_back(toInferenceImage(request.image));
    if (!request.systemPrompt.isEmpty())
        g.systemPrompt = request.systemPrompt.toStdString();
    g.prompt = request.prompt.toStdString();
    g.minPixels = request.minPixels;
    g.maxPixels = request.maxPixels;
    g.maxNewTokens = request.maxNewTokens;
    g.draft = request.draft ? inference::DraftMode::Auto : inference::DraftMode::Off;
    g.draftHint = request.draftHint.toStdString();
    if (request.temperature) {
        g.sampling.doSample = *request.temperature > 0;
        g.sampling.temperature = *request.temperature;
        g.sampling.topK = 0; // a retry must be able to leave the greedy path
        g.sampling.topP = 0.9;
        g.sampling.seed = 1234;
    }

    // The guards see the text as it grows; when they say stop, our own flag stops the
    // generation, alongside the caller's cancel flag.
    std::atomic<bool> stop{false};
    bool stoppedByGuard = false;
    std::string text;
    int tokens = 0;
    AnswerTokens answerTokens;
    const auto onToken = [&](int64_t id, const std::string& piece, float logprob) {
        text += piece;
        if (id < 0) { // the bytes of a character the last token left unfinished
            if (!answerTokens.bytes.empty())
                answerTokens.bytes.back() += int(piece.size());
            return;
        }
        answerTokens.bytes.push_back(int(piece.size()));
        answerTokens.logprobs.push_back(logprob);
        ++tokens;
        if (cancel && cancel->load())
            stop = true;
        if (progress && !progress(tokens, QString::fromStdString(text))) {
            stoppedByGuard = true;
            stop = true;
        }
    };
    if (cancel && cancel->load())
        return makeError("cancelled");
    // The caller's flag is relayed at every layer of the vision pass and prefill and at every
    // token, so a cancel takes effect within one layer.
    g.onLayer = [&](inference::Stage, int, int) {
        if (cancel && cancel->load())
            stop = true;
    };
    Result<inference::GenerationResult> result = inference::EngineService::instance().generate(*m_options, g, onToken, &stop);
    if (!result)
        return makeError(result.error());
    if (cancel && cancel->load())
        return makeError("cancelled");

    EngineOutput out;
    out.text = QString::fromStdString(result->text);
    if (!result->resizedSizes.empty()) {
        out.resizedWidth = result->resizedSizes.front().width;
        out.resizedHeight = result->resizedSizes.front().height;
    }
    out.stopReason = stoppedByGuard ? QStringLiteral("stopped") : QString::fromLatin1(inference::stopReasonName(result->stopReason));
    out.generatedTokens = int(result->generatedIds.size());
    out.tokens = std::move(answerTokens);
    const inference::GenerationTimings& t = result->timings;
    out.timings = QJsonObject{{QStringLiteral("preprocess_ms"), t.preprocessMs},
                              {QStringLiteral("vision_ms"), t.visionMs},
                              {QStringLiteral("prefill_ms"), t.prefillMs},
                              {QStringLiteral("decode_ms"), t.decodeMs},
                              {QStringLiteral("decode_ms_per_token"), t.decodeMsPerToken},
                              {QStringLiteral("total_ms"), t.totalMs},
                              {QStringLiteral("new_tokens"), out.generatedTokens},
                              {QStringLiteral("drafting"), result->decode.drafting},
                              {QStringLiteral("decode_steps"), qint64(result->decode.steps)},
                              {QStringLiteral("tokens_per_step"), result->decode.tokensPerStep},
                              {QStringLiteral("drafted_tokens"), qint64(result->decode.draftedTokens)},
                              {QStringLiteral("accepted_draft_tokens"), qint64(result->decode.acceptedDraftTokens)}};
    return out;
}

} // namespace folio::extract
