#include "ui/kinds/vit/vit_extension.h"

namespace attnviz::ui {

void VitExtension::setShownMap(const ShownMap& map) {
  if (map == shown_) return;  // no bounce: the thumbnails refresh only on a real change
  shown_ = map;
  emit shownMapChanged();
}

}  // namespace attnviz::ui
