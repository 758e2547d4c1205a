#include "ui/shell/pasted_images.h"

#include <QBuffer>
#include <QSaveFile>

#include "engine/core/limits.h"

namespace attnviz::ui {

QString PastedImages::save(const QImage& image, std::int64_t maxPixels, QString* problem) {
  if (image.isNull()) {
    if (problem) *problem = QObject::tr("the clipboard holds no image");
    return {};
  }
  if (static_cast<std::int64_t>(image.width()) * image.height() > maxPixels) {
    if (problem)
      *problem = QObject::tr("the image is %1x%2 pixels, more than the limit of %3 pixels (%4)")
                     .arg(image.width())
                     .arg(image.height())
                     .arg(QString::fromStdString(limitText(kMaxImagePixelsLimit, maxPixels)),
                          QString::fromStdString(limitNote(kMaxImagePixelsLimit)));
    return {};
  }
  if (!dir_.isValid()) {
    if (problem) *problem = QObject::tr("cannot make a temporary folder for pasted images: %1").arg(dir_.errorString());
    return {};
  }
  const QString path = dir_.filePath(QStringLiteral("pasted-%1.png").arg(++count_));
  QByteArray png;  // encoded in memory: libpng leaves a failing device by longjmp, skipping Qt's clean-up
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  QSaveFile file(path);
  if (!image.save(&buffer, "PNG") || !file.open(QIODevice::WriteOnly) || file.write(png) != png.size() || !file.commit()) {
    if (problem) *problem = QObject::tr("cannot write the pasted image to %1: %2").arg(path, file.errorString());
    return {};
  }
  return path;
}

}  // namespace attnviz::ui
