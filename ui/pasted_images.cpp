#include "ui/pasted_images.h"

#include <QSaveFile>

#include "engine/io/image_file.h"

namespace attnviz::ui {

QString PastedImages::save(const QImage& image, QString* problem) {
  if (image.isNull()) {
    if (problem) *problem = QObject::tr("the clipboard holds no image");
    return {};
  }
  if (static_cast<std::int64_t>(image.width()) * image.height() > attnviz::kMaxImagePixels) {
    if (problem)
      *problem = QObject::tr("the image is %1x%2 pixels, more than the %3 M pixels attnviz reads")
                     .arg(image.width()).arg(image.height()).arg(attnviz::kMaxImagePixels / (1024 * 1024));
    return {};
  }
  if (!dir_.isValid()) {
    if (problem) *problem = QObject::tr("cannot make a temporary folder for pasted images: %1").arg(dir_.errorString());
    return {};
  }
  const QString path = dir_.filePath(QStringLiteral("pasted-%1.png").arg(++count_));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
    if (problem) *problem = QObject::tr("cannot write the pasted image to %1: %2").arg(path, file.errorString());
    return {};
  }
  return path;
}

}  // namespace attnviz::ui
