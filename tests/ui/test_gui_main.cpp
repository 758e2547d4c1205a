// runGui end to end, as app/main.cpp calls it: opens the real tiny encoder package, puts the text in
// the editor, runs, and in screenshot mode (ATTNVIZ_SCREENSHOT) saves the window and returns 0.
// Plain main(): runGui creates the QApplication itself.
#include <QFileInfo>
#include <QImage>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ui/shell/gui_main.h"

int main(int argc, char** argv) {
  const std::string tiny = std::string(ATTNVIZ_TEST_DATA) + "/tiny-encoder";
  if (!QFileInfo::exists(QString::fromStdString(tiny + "/attnviz.json"))) {
    std::puts("FAIL: tests/data/tiny-encoder is missing");
    return 1;
  }
  const char* dir = std::getenv("ATTNVIZ_SHOT_DIR");
  const std::string shot = std::string(dir ? dir : "/tmp") + "/gui-main-shot.png";
  std::remove(shot.c_str());
  setenv("ATTNVIZ_SCREENSHOT", shot.c_str(), 1);
  const int code = attnviz::ui::runGui(argc, argv, {tiny}, {"the movie was good", "ignored second input"});
  if (code != 0) {
    std::fprintf(stderr, "FAIL: runGui returned %d\n", code);
    return 1;
  }
  const QImage image(QString::fromStdString(shot));
  if (image.isNull() || image.width() < 400 || image.height() < 300) {
    std::fprintf(stderr, "FAIL: no usable screenshot at %s\n", shot.c_str());
    return 1;
  }
  std::printf("PASS: runGui opened the model, ran, saved %s (%dx%d)\n", shot.c_str(), image.width(), image.height());
  return 0;
}
