#include "ui/settings.h"

#include <QSettings>

#include <algorithm>

namespace folio::ui {

QStringList Settings::dtypes()
{
    return {QStringLiteral("bf16"), QStringLiteral("f32")};
}

Settings Settings::load()
{
    const QSettings s;
    Settings out;
    out.modelDir = s.value(QStringLiteral("model/dir"), out.modelDir).toString();
    out.device = s.value(QStringLiteral("model/device"), out.device).toString();
    const QString dtype = s.value(QStringLiteral("model/dtype"), out.dtype).toString();
    if (dtypes().contains(dtype))
        out.dtype = dtype;
    out.maxPixels = s.value(QStringLiteral("model/maxPixels"), out.maxPixels).toInt();
    out.renderDpi = s.value(QStringLiteral("render/dpi"), out.renderDpi).toInt();
    out.ocrOnImport = s.value(QStringLiteral("ocr/onImport"), out.ocrOnImport).toBool();
    out.ocrLanguages = s.value(QStringLiteral("ocr/languages"), out.ocrLanguages).toString();
    out.draft = s.value(QStringLiteral("model/draft"), QStringLiteral("auto")).toString() != u"off";
    out.reviewThreshold = std::clamp(s.value(QStringLiteral("review/threshold"), out.reviewThreshold).toDouble(), 0.0, 1.0);
    out.engine = EngineSettings::load(s);
    return out;
}

void Settings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("model/dir"), modelDir);
    s.setValue(QStringLiteral("model/device"), device);
    s.setValue(QStringLiteral("model/dtype"), dtype);
    s.setValue(QStringLiteral("model/maxPixels"), maxPixels);
    s.setValue(QStringLiteral("render/dpi"), renderDpi);
    s.setValue(QStringLiteral("ocr/onImport"), ocrOnImport);
    s.setValue(QStringLiteral("ocr/languages"), ocrLanguages);
    s.setValue(QStringLiteral("model/draft"), draft ? QStringLiteral("auto") : QStringLiteral("off"));
    s.setValue(QStringLiteral("review/threshold"), reviewThreshold);
    engine.save(s);
}

} // namespace folio::ui
