#pragma once
// Cancellation and progress at layer boundaries. The vision encoder and the decoder's prefill
// run for seconds to minutes on a CPU; checking the stop flag only between generated tokens
// would leave a cancelled page running that long. They check it before every block/layer.

#include <atomic>
#include <functional>
#include <stdexcept>

namespace folio::inference {

enum class Stage { Vision, Prefill };

// Called on the generating thread after each finished vision block or prefill decoder layer:
// its 0-based index and the number of layers of that stage.
using LayerCallback = std::function<void(Stage stage, int layer, int layers)>;

// Thrown by LayerHook::check when the stop flag is set; caught by the engine, which reports the
// generation as cancelled. Never leaves inference/.
struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("cancelled") {}
};

struct LayerHook {
    const std::atomic<bool>* stop = nullptr;
    const LayerCallback* onLayer = nullptr;

    // Before each layer: throws Cancelled when stop is set.
    void check() const
    {
        if (stop && stop->load(std::memory_order_relaxed))
            throw Cancelled();
    }
    void finished(Stage stage, int layer, int layers) const
    {
        if (onLayer && *onLayer)
            (*onLayer)(stage, layer, layers);
    }
};

} // namespace folio::inference
