#pragma once
// Settings: the user's choices, kept with QSettings (organisation and application "folio").
// Read and written on the GUI thread; workers get copies of the values.

#include "ui/enginesettings.h"

#include <QString>
#include <QStringList>

namespace folio::ui {

struct Settings {
    QString modelDir;           // empty until the user picks a downloaded model
    QString device = QStringLiteral("cpu"); // "cpu" or "cuda"
    QString dtype = QStringLiteral("auto"); // one of dtypes()
    QString quant = QStringLiteral("int8"); // one of quants(): the local model's decoder weights
    int maxPixels = 1003520;    // pixel budget of one page image given to the model (1280 × 28 × 28)
    int renderDpi = 150;        // page images for extraction
    bool ocrOnImport = true;    // OCR pages without a text layer (scans) when they are imported
    QString ocrLanguages;       // Tesseract languages, "deu+eng"; empty: OcrEngine::defaultLanguages()
    bool draft = true;          // speculative decoding from the page's words ("auto"); false: "off"
    double reviewThreshold = 0.9; // a value read with less confidence needs review (ui/reviewqueue.h)
    EngineSettings engine;      // local model or an OpenAI-compatible server

    // The compute dtypes the local engine accepts; a stored value outside them loads as auto.
    static QStringList dtypes();
    // The quantizations of the local engine (none, int8, int4); another stored value loads as int8.
    static QStringList quants();
    // One line on what a quantization costs, with the fidelity measured on the fixture model.
    static QString quantHint(const QString& quant);
    // A local model folder or a server is set: extraction (and re-reading a box) can run.
    bool engineConfigured() const { return !modelDir.isEmpty() || engine.remote(); }
    static Settings load();
    void save() const;
};

} // namespace folio::ui
