#pragma once
// Settings: the user's choices, kept with QSettings (organisation and application "folio").
// Read and written on the GUI thread; workers get copies of the values.

#include <QString>

namespace folio::ui {

struct Settings {
    QString modelDir;           // empty until the user picks a downloaded model
    QString device = QStringLiteral("cpu"); // "cpu" or "cuda"
    QString dtype = QStringLiteral("bf16"); // "bf16", "f16" or "f32"
    int maxPixels = 1003520;    // pixel budget of one page image given to the model (1280 × 28 × 28)
    int renderDpi = 150;        // page images for extraction
    bool draft = true;          // speculative decoding from the page's words ("auto"); false: "off"

    static Settings load();
    void save() const;
};

} // namespace folio::ui
