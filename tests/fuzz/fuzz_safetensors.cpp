// libFuzzer target: a safetensors file (8-byte length, JSON header, data area), opened as a
// weights file is, then every tensor it declares viewed and summed, so an entry that validation
// let through with a range outside the mapping shows up as an ASan read error.
#include "inference/safetensors.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string& path = folio::fuzz::writeScratch(data, size, ".safetensors");
    auto file = folio::inference::SafeTensorsFile::open(path);
    if (!file)
        return 0;
    for (const std::string& name : (*file)->names()) {
        const at::Tensor t = (*file)->tensor(name);
        if (t.numel() > 0 && t.numel() < (1 << 16))
            (void)t.to(at::kDouble).sum().item<double>();
    }
    return 0;
}
