// The picture a vit trace was made from, for the panels that draw attention over it: the image file itself, or for
// preprocessed pixels (--pixels, a .npy dropped on the window) those values shown min-max scaled to 0..255, since
// undoing the model's normalisation would need its mean and std (isPixelsPreview says which, for a note).
// Decoded once: the panels of one trace (Patches, all heads, Compare) each ask for the same file and get one shared
// QImage (implicitly shared pixels) from a small cache keyed by path, size and modification time, so a file
// rewritten under the same name is read again.
//
//   QImage underlay = traceImage(trace->input);   // null when the file cannot be read: panels draw grey cells
#pragma once

#include <QImage>
#include <string>

namespace attnviz::ui {

bool isPixelsPreview(const std::string& input);  // a .npy: traceImage shows the pixels scaled, not the image
QImage traceImage(const std::string& input);     // Format_RGB32, or null
int traceImageDecodes();                         // files decoded so far (cache misses), for tests

}  // namespace attnviz::ui
