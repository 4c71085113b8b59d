#include "ui/modelinfo.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace folio::ui {

namespace {

    // Published Qwen2.5-VL sizes by the language model's hidden size.
    QString sizeName(int hiddenSize)
    {
        switch (hiddenSize) {
        case 2048: return QStringLiteral("3B");
        case 3584: return QStringLiteral("7B");
        case 5120: return QStringLiteral("32B");
        case 8192: return QStringLiteral("72B");
        default: return QStringLiteral("hidden size %1").arg(hiddenSize);
        }
    }

    Error fail(const QString& message) { return makeError(message.toStdString()); }

    // The parameter counts of modelinfo.h from the text and vision configs (spec 1.1–1.3).
    void countParameters(const QJsonObject& config, const QJsonObject& text, ModelInfo& info)
    {
        const auto num = [&](const char* key) {
            const QString k = QString::fromLatin1(key);
            return qint64(text.value(k).toDouble(config.value(k).toDouble()));
        };
        const qint64 d = info.hiddenSize, layers = info.layers, inter = num("intermediate_size"), vocab = num("vocab_size");
        const qint64 heads = num("num_attention_heads"), kvHeads = num("num_key_value_heads");
        if (inter <= 0 || vocab <= 0 || heads <= 0 || kvHeads <= 0)
            return;
        const qint64 kv = d / heads * kvHeads;
        info.decoderMatrixParams = layers * (2 * d * d + 2 * kv * d + 3 * inter * d);
        const bool tied = config.value(QStringLiteral("tie_word_embeddings")).toBool(false);
        info.vocabParams = vocab * d * (tied ? 1 : 2);
        const qint64 layerRest = 2 * d + d + 2 * kv; // norms, q/k/v biases
        qint64 vision = 0;
        const QJsonObject v = config.value(QStringLiteral("vision_config")).toObject();
        const qint64 c = v.value(QStringLiteral("hidden_size")).toInt(), vi = v.value(QStringLiteral("intermediate_size")).toInt();
        const qint64 depth = v.value(QStringLiteral("depth")).toInt(), out = v.value(QStringLiteral("out_hidden_size")).toInt(d);
        const qint64 patch = v.value(QStringLiteral("patch_size")).toInt(14), merge = v.value(QStringLiteral("spatial_merge_size")).toInt(2);
        if (c > 0 && vi > 0 && depth > 0) {
            const qint64 block = 2 * c + (3 * c * c + 3 * c) + (c * c + c) + 2 * (vi * c + vi) + (c * vi + c);
            const qint64 merged = c * merge * merge;
            vision = c * 3 * 2 * patch * patch + depth * block + c + (merged * merged + merged) + (out * merged + out);
        }
        info.otherParams = layers * layerRest + d + vision;
    }

} // namespace

Result<ModelInfo> readModelInfo(const QString& dir)
{
    const QDir d(dir);
    if (dir.isEmpty() || !d.exists())
        return fail(QStringLiteral("Model folder %1 does not exist.").arg(dir));
    QFile file(d.filePath(QStringLiteral("config.json")));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1 has no readable config.json; is this a downloaded model folder?").arg(dir));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!json.isObject())
        return fail(QStringLiteral("%1 is not valid JSON: %2").arg(file.fileName(), parseError.errorString()));
    const QJsonObject config = json.object();
    ModelInfo info;
    info.modelType = config.value(QStringLiteral("model_type")).toString();
    if (info.modelType != u"qwen2_5_vl")
        return fail(QStringLiteral("%1 describes a '%2' model; Folio needs Qwen2.5-VL (model_type qwen2_5_vl).")
                        .arg(file.fileName(), info.modelType));
    // Newer configs nest the language model's sizes under text_config.
    const QJsonObject text = config.contains(QStringLiteral("text_config"))
                                 ? config.value(QStringLiteral("text_config")).toObject()
                                 : config;
    info.hiddenSize = text.value(QStringLiteral("hidden_size")).toInt(config.value(QStringLiteral("hidden_size")).toInt());
    info.layers = text.value(QStringLiteral("num_hidden_layers")).toInt(config.value(QStringLiteral("num_hidden_layers")).toInt());
    if (info.hiddenSize <= 0)
        return fail(QStringLiteral("%1 has no hidden_size.").arg(file.fileName()));
    info.dtype = config.value(QStringLiteral("torch_dtype")).toString(text.value(QStringLiteral("torch_dtype")).toString());
    info.displayName = QStringLiteral("Qwen2.5-VL-%1").arg(sizeName(info.hiddenSize));
    info.hasWeights = !d.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty();
    countParameters(config, text, info);
    return info;
}

qint64 ModelInfo::weightBytes(const QString& quant) const
{
    if (decoderMatrixParams == 0)
        return 0;
    const qint64 rest = 2 * otherParams;
    if (quant == u"int8")
        return decoderMatrixParams + vocabParams + rest;
    if (quant == u"int4")
        return decoderMatrixParams * 9 / 16 + vocabParams + rest;
    return 2 * (decoderMatrixParams + vocabParams) + rest;
}

} // namespace folio::ui
