#pragma once
// OcrEngine: Tesseract (libtesseract, LSTM models from the Debian tesseract-ocr-* language packs)
// as a page-image → words library, the scan's counterpart to Poppler's text layer. Orientation
// detection (Tesseract OSD, tesseract-ocr-osd) turns a sideways or upside-down scan upright
// before recognition; the boxes still come back in the frame of the image that was given.
//
// Threads: an engine holds Tesseract's loaded models and is used by one thread at a time; open
// one per worker thread. Loading takes a fraction of a second per language, so callers keep one
// for a whole batch.

#include "ingest/word.h"
#include "inference/result.h"

#include <QImage>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace folio::ingest {

// The words of one OCR'd image.
struct OcrPage {
    // Boxes normalised to [0,1] of the image that was given, in reading order; line indexes
    // group them into text lines; confidence in [0,1]; source Ocr.
    std::vector<Word> words;
    // Clockwise degrees (0/90/180/270) the image must be turned so that its text reads upright:
    // 0 for an upright scan, 90 for one whose text runs bottom to top.
    int orientation = 0;
    double orientationConfidence = 0; // Tesseract's OSD confidence; 0 when not detected
};

// Progress of one recognition in percent (0–100); called on the recognising thread.
using OcrProgress = std::function<void(int percent)>;

class OcrEngine {
public:
    // Loads the languages, Tesseract's "+"-joined codes such as "deu+eng" or "chi_sim". An error
    // names a missing language and the Debian package that provides it (tesseract-ocr-deu).
    static Result<std::unique_ptr<OcrEngine>> open(const QString& languages);
    // Languages whose models are installed (eng, deu, ...), osd excluded; sorted.
    static QStringList installedLanguages();
    // The default for new libraries: the installed ones of deu, eng, fra (Folio's sample
    // languages), "eng" when none of them is installed.
    static QString defaultLanguages();
    // The linked libtesseract's version, e.g. "5.3.0".
    static QString version();

    ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    const QString& languages() const { return m_languages; }

    // Recognises `image` scanned at `dpi` (Tesseract sizes its text model by it). With
    // `detectOrientation`, OSD runs first and a confidently sideways or upside-down image is
    // turned upright for recognition. `cancel` is polled during recognition; a cancelled run is
    // an error saying so. An image with no text gives no words, not an error.
    Result<OcrPage> recognize(const QImage& image, double dpi, bool detectOrientation = true,
                              const OcrProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

private:
    struct Apis;
    OcrEngine(QString languages, std::unique_ptr<Apis> apis);

    QString m_languages;
    std::unique_ptr<Apis> m_apis;
};

} // namespace folio::ingest
