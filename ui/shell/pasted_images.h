// PastedImages: images pasted from the clipboard become PNG files in a folder of this session (vit models and traces
// read images by path), removed when the window closes. Each file is written whole (QSaveFile) or not at all.
//
//   PastedImages pasted;
//   QString problem;
//   const QString path = pasted.save(clipboardImage, maxPixels, &problem);   // empty on failure, problem says why
#pragma once

#include <QImage>
#include <QString>
#include <QTemporaryDir>
#include <cstdint>

namespace attnviz::ui {

class PastedImages {
 public:
  PastedImages() = default;

  // The image as ".../pasted-N.png" (N counts up); empty and *problem set when it cannot be written or has more
  // than maxPixels pixels (the image limit).
  QString save(const QImage& image, std::int64_t maxPixels, QString* problem);

 private:
  QTemporaryDir dir_{QDir::tempPath() + QStringLiteral("/attnviz-pasted-XXXXXX")};
  int count_ = 0;
};

}  // namespace attnviz::ui
