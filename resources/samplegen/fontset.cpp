#include "fontset.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QStringList>

namespace folio::samplegen {

namespace {

struct FontFile {
    const char* path;
    const char* package;
};

// Adds the font file and returns its family name.
Result<QString> addFont(const FontFile& file)
{
    const QString path = QString::fromLatin1(file.path);
    if (!QFileInfo::exists(path))
        return makeError("Font file " + path.toStdString() + " is missing; install the Debian package " + file.package
            + " (apt-get install " + file.package + ").");
    const int id = QFontDatabase::addApplicationFont(path);
    const QStringList families = QFontDatabase::applicationFontFamilies(id);
    if (id < 0 || families.isEmpty())
        return makeError("Font file " + path.toStdString() + " could not be loaded by Qt; is it a valid font?");
    return families.first();
}

} // namespace

Result<FontSet> FontSet::load()
{
    const FontFile regular { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core" };
    const FontFile bold { "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core" };
    const FontFile cjk { "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "fonts-wqy-microhei" };
    FontSet set;
    auto latin = addFont(regular);
    if (!latin)
        return Error { latin.error() };
    if (auto b = addFont(bold); !b)
        return Error { b.error() };
    auto han = addFont(cjk);
    if (!han)
        return Error { han.error() };
    set.m_latinFamily = *latin;
    set.m_cjkFamily = *han;
    return set;
}

QFont FontSet::latin(qreal points, bool bold) const
{
    return make(m_latinFamily, points, bold);
}

QFont FontSet::cjk(qreal points, bool bold) const
{
    return make(m_cjkFamily, points, bold);
}

QFont FontSet::make(const QString& family, qreal points, bool bold) const
{
    QFont font(family);
    font.setPointSizeF(points);
    font.setBold(bold);
    // Unhinted outlines: the metrics used for the truth boxes are then the ones the PDF gets,
    // and the same at 72 DPI (PDF) and when rasterised at 200 DPI (scan).
    font.setHintingPreference(QFont::PreferNoHinting);
    // No substitution from system fonts: a glyph missing from our file should show, not hide.
    // No OpenType shaping where the script does not need it: shaping would turn "ff" into the
    // ligature U+FB00, and the text layer would no longer match the truth.
    font.setStyleStrategy(QFont::StyleStrategy(QFont::NoFontMerging | QFont::PreferNoShaping));
    return font;
}

} // namespace folio::samplegen
