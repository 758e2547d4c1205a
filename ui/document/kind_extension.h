// KindExtension: the state one model kind adds to the Workspace, kept out of the Workspace itself (han: whether
// occlusion starts by itself for every new document). A kind names its extension in its row of the window's kind
// table (KindUi::extension, ui/kinds/<kind>/<kind>_ui.cpp); the Workspace makes every kind's when it is made and
// keeps them while it lives, so what the user set survives switching models. Code of that kind reaches its
// extension with Workspace::extension<T>().
//
//   ws.extension<HanExtension>().setAutoOcclusion(false);
#pragma once

#include <QObject>

namespace attnviz::ui {

class Workspace;

class KindExtension : public QObject {
  Q_OBJECT

 public:
  explicit KindExtension(Workspace& workspace) : workspace_(workspace) {}

 protected:
  Workspace& workspace_;
};

}  // namespace attnviz::ui
