#pragma once

#include <QByteArray>
#include <QString>

namespace folio::ingest {

// What a file really is, judged by its first bytes (never by its name).
enum class FileType { Empty, Pdf, Png, Jpeg, Tiff, Gif, Bmp, WebP, Zip, Unknown };

FileType sniffFileType(const QByteArray& head);

// What a file's name claims it is, judged by its extension.
FileType typeFromExtension(const QString& path);

QString fileTypeName(FileType type);

bool isSupportedImage(FileType type);

// File name suffixes `folio ingest FOLDER` picks up.
QStringList supportedSuffixes();

} // namespace folio::ingest
