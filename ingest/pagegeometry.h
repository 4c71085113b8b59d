#pragma once

#include <QRectF>
#include <QSizeF>

namespace folio::ingest {

// A page's /Rotate turns the displayed (rendered) page clockwise by 0, 90, 180 or 270 degrees.
// Boxes are stored on the unrotated page; these convert between the two normalised frames.

// Normalises any rotation value (negative, > 360, not a multiple of 90 is rounded down) to 0/90/180/270.
int normalizedRotation(int degrees);

// Maps a box normalised to the displayed page to the unrotated page.
QRectF displayedToUnrotated(const QRectF& displayed, int rotation);

// Maps a box normalised to the unrotated page to the displayed page.
QRectF unrotatedToDisplayed(const QRectF& unrotated, int rotation);

// The unrotated size of a page whose displayed size is `displayed`.
QSizeF unrotatedSize(const QSizeF& displayed, int rotation);

} // namespace folio::ingest
