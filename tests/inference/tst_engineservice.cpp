// EngineService: one model load per configuration (folder, quant, dtype, device) however many
// requests queue on it, and cancellation that takes effect at the next vision block or prefill
// layer (asserted through the layer hook: the stage did not complete), not only between tokens.
#include "inference/engineservice.h"
#include "inference/imagefile.h"

#include "testregistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <vector>

using namespace folio::inference;

namespace {

EngineOptions fixtureOptions()
{
    EngineOptions options;
    options.modelDir = (folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny")).toStdString();
    options.dtype = "f32";
    options.threads = 1;
    return options;
}

GenerationRequest imageRequest()
{
    GenerationRequest request;
    auto image = loadImageFile(fixtureOptions().modelDir + "/images/image_a_476x336.png");
    if (image)
        request.images.push_back(std::move(*image));
    request.prompt = "Describe the image.";
    request.maxNewTokens = 4;
    request.sampling.doSample = false;
    return request;
}

struct LayerLog {
    std::vector<int> vision, prefill;
    int visionLayers = 0, prefillLayers = 0;
};

} // namespace

class TstEngineService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void configurationKey()
    {
        EngineOptions a = fixtureOptions();
        EngineOptions b = a;
        QVERIFY(sameConfiguration(a, b));
        b.dtype = "bf16";
        QVERIFY(!sameConfiguration(a, b));
        b = a;
        b.device = "cuda";
        QVERIFY(!sameConfiguration(a, b));
        b = a;
        b.threads = 2;
        QVERIFY(!sameConfiguration(a, b));
        b = a;
        b.modelDir += "-other";
        QVERIFY(!sameConfiguration(a, b));
        b = a;
        b.quant = QuantScheme::Int8;
        QVERIFY(!sameConfiguration(a, b));
        b = a;
        b.packCacheDir = "/elsewhere"; // where packed weights are kept, not what is loaded
        QVERIFY(sameConfiguration(a, b));
    }

    void twoQueuedRequestsLoadOnce()
    {
        EngineService service;
        const GenerationRequest request = imageRequest();
        QCOMPARE(request.images.size(), std::size_t(1));
        std::vector<int> tokens(2, 0);
        auto first = service.submit(fixtureOptions(), request, [&](int64_t id, const std::string&, float) { tokens[0] += id >= 0; }, nullptr);
        auto second = service.submit(fixtureOptions(), request, [&](int64_t id, const std::string&, float) { tokens[1] += id >= 0; }, nullptr);
        const auto a = first.get();
        const auto b = second.get();
        QVERIFY2(a, a ? "" : a.error().c_str());
        QVERIFY2(b, b ? "" : b.error().c_str());
        QCOMPARE(service.loadCount(), 1);
        QCOMPARE(a->generatedIds, b->generatedIds); // greedy: the shared model answers alike
        QCOMPARE(tokens[0], int(a->generatedIds.size()));
        QCOMPARE(a->logprobs.size(), a->generatedIds.size());
        for (float lp : a->logprobs)
            QVERIFY(lp <= 0.0f);

        // A relative spelling of the same folder is the same configuration.
        EngineOptions relative = fixtureOptions();
        relative.modelDir += "/../qwen25vl-tiny";
        QVERIFY(service.generate(relative, request, {}, nullptr));
        QCOMPARE(service.loadCount(), 1);

        // Another configuration is another load.
        EngineOptions bf16 = fixtureOptions();
        bf16.dtype = "bf16";
        QVERIFY(service.generate(bf16, request, {}, nullptr));
        QCOMPARE(service.loadCount(), 2);
    }

    // Two queued requests of one (folder, quant, dtype, device) share one packed model; another
    // quant loads another; "auto" is the dtype it resolves to.
    void quantIsPartOfTheConfiguration()
    {
        EngineService service;
        const QTemporaryDir cache;
        EngineOptions int8 = fixtureOptions();
        int8.quant = QuantScheme::Int8;
        int8.packCacheDir = cache.path().toStdString();
        const GenerationRequest request = imageRequest();
        auto first = service.submit(int8, request, {}, nullptr);
        auto second = service.submit(int8, request, {}, nullptr);
        const auto a = first.get();
        const auto b = second.get();
        QVERIFY2(a, a ? "" : a.error().c_str());
        QVERIFY2(b, b ? "" : b.error().c_str());
        QCOMPARE(a->generatedIds, b->generatedIds);
        QCOMPARE(service.loadCount(), 1);

        EngineOptions int4 = int8;
        int4.quant = QuantScheme::Int4;
        const auto info = service.load(int4, nullptr);
        QVERIFY2(info, info ? "" : info.error().c_str());
        QCOMPARE(service.loadCount(), 2);
        QVERIFY(info->quant == QuantScheme::Int4);
        QCOMPARE(info->dtype, std::string("f32"));
        QVERIFY2(info->packCache.rfind("written ", 0) == 0, info->packCache.c_str());
        QVERIFY(service.generate(int4, request, {}, nullptr));
        QCOMPARE(service.loadCount(), 2);

        EngineOptions automatic = int4;
        automatic.dtype = "auto";
        const auto resolved = resolvedDtype(automatic);
        QVERIFY(resolved == "bf16" || resolved == "f32");
        int4.dtype = resolved;
        QVERIFY(service.load(int4, nullptr));
        const int loads = service.loadCount();
        const auto again = service.load(automatic, nullptr);
        QVERIFY(again);
        QCOMPARE(again->dtype, resolved);
        QCOMPARE(service.loadCount(), loads); // auto is the dtype it stands for: no second load
    }

    void cancelDuringPrefillStopsAtNextLayer()
    {
        EngineService service;
        std::atomic<bool> stop{false};
        GenerationRequest request = imageRequest();
        LayerLog log;
        request.onLayer = [&](Stage stage, int layer, int layers) {
            if (stage == Stage::Vision) {
                log.vision.push_back(layer);
                log.visionLayers = layers;
            } else {
                log.prefill.push_back(layer);
                log.prefillLayers = layers;
                if (layer == 0)
                    stop = true; // raised mid-prefill, from the engine's own thread
            }
        };
        int tokens = 0;
        auto result = service.generate(fixtureOptions(), request, [&](int64_t, const std::string&, float) { ++tokens; }, &stop);
        QVERIFY2(result, result ? "" : result.error().c_str());
        QVERIFY(result->stopReason == StopReason::Cancelled);
        QVERIFY(log.prefillLayers > 1);
        QCOMPARE(log.prefill, std::vector<int>{0}); // layer 1 never ran: prefill did not complete
        QCOMPARE(int(log.vision.size()), log.visionLayers); // the vision pass had finished
        QCOMPARE(tokens, 0);
        QVERIFY(result->generatedIds.empty());
    }

    void cancelFromAnotherThreadDuringVision()
    {
        EngineService service;
        QVERIFY(service.load(fixtureOptions(), nullptr));
        std::atomic<bool> stop{false};
        GenerationRequest request = imageRequest();
        LayerLog log;
        std::promise<void> firstBlock;
        std::promise<void> cancelled;
        auto cancelledSeen = cancelled.get_future();
        request.onLayer = [&](Stage stage, int layer, int layers) {
            if (stage == Stage::Vision) {
                log.vision.push_back(layer);
                log.visionLayers = layers;
                if (layer == 0) {
                    firstBlock.set_value();
                    cancelledSeen.wait(); // hold the engine at the boundary until the cancel is in
                }
            } else {
                log.prefill.push_back(layer);
            }
        };
        auto future = service.submit(fixtureOptions(), request, {}, &stop);
        firstBlock.get_future().wait();
        stop = true; // from this (another) thread
        cancelled.set_value();
        const auto result = future.get();
        QVERIFY2(result, result ? "" : result.error().c_str());
        QVERIFY(result->stopReason == StopReason::Cancelled);
        QVERIFY(log.visionLayers > 1);
        QCOMPARE(log.vision, std::vector<int>{0});
        QVERIFY(log.prefill.empty());
        QCOMPARE(service.loadCount(), 1);
    }

    void cancelBeforeLoadLoadsNothing()
    {
        EngineService service;
        std::atomic<bool> stop{true};
        const auto result = service.generate(fixtureOptions(), imageRequest(), {}, &stop);
        QVERIFY(!result);
        QCOMPARE(QString::fromStdString(result.error()), QStringLiteral("cancelled"));
        QCOMPARE(service.loadCount(), 0);
    }

    void cancelDuringLoading()
    {
        // The flag is seen inside Engine::load (between the files and the weight tensors).
        std::atomic<bool> stop{true};
        auto engine = Engine::load(fixtureOptions(), &stop);
        QVERIFY(!engine);
        QVERIFY2(QString::fromStdString(engine.error()).contains(QStringLiteral("cancelled")), engine.error().c_str());
    }

    void loadErrorNamesTheFolder()
    {
        EngineService service;
        EngineOptions options = fixtureOptions();
        options.modelDir = "/nonexistent/model";
        const auto result = service.load(options, nullptr);
        QVERIFY(!result);
        QVERIFY2(QString::fromStdString(result.error()).contains(QStringLiteral("/nonexistent/model")), result.error().c_str());
        QCOMPARE(service.loadCount(), 0);
    }
};

FOLIO_TEST_CLASS(TstEngineService)
#include "tst_engineservice.moc"
