#include "ui/settings.h"

#include <QObject>
#include <QSettings>

#include <algorithm>

namespace folio::ui {

QStringList Settings::dtypes()
{
    return {QStringLiteral("auto"), QStringLiteral("bf16"), QStringLiteral("f32")};
}

QStringList Settings::quants()
{
    return {QStringLiteral("none"), QStringLiteral("int8"), QStringLiteral("int4")};
}

QString Settings::quantHint(const QString& quant)
{
    // Fidelity as measured by tests/inference/tst_quantfidelity on the fixture model, against
    // the float32 reference (logits cosine of the last position, worst case).
    if (quant == u"none")
        return QObject::tr("The checkpoint's weights as they are: 2 bytes per parameter in bf16, the exact path.");
    if (quant == u"int8")
        return QObject::tr("1 byte per parameter, about half the memory and decode time of bf16; near-lossless "
                           "(logits cosine ≥ 0.9968 vs float32 on the test model; bf16 itself: 0.9990).");
    return QObject::tr("0.56 bytes per parameter, the least memory and the fastest decode; less exact "
                       "(9 % weight error; logits cosine 0.82–0.97 on the test model, answers can differ).");
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
    const QString quant = s.value(QStringLiteral("model/quant"), out.quant).toString();
    if (quants().contains(quant))
        out.quant = quant;
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
    s.setValue(QStringLiteral("model/quant"), quant);
    s.setValue(QStringLiteral("model/maxPixels"), maxPixels);
    s.setValue(QStringLiteral("render/dpi"), renderDpi);
    s.setValue(QStringLiteral("ocr/onImport"), ocrOnImport);
    s.setValue(QStringLiteral("ocr/languages"), ocrLanguages);
    s.setValue(QStringLiteral("model/draft"), draft ? QStringLiteral("auto") : QStringLiteral("off"));
    s.setValue(QStringLiteral("review/threshold"), reviewThreshold);
    engine.save(s);
}

} // namespace folio::ui
