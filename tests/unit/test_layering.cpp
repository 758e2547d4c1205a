// The engine stays free of GUI code: no widgets or painting anywhere in engine/, and Qt headers (QtCore,
// QuaZip, and QImage/QImageReader for decoding image files) only inside engine/io/*.cpp, never in a header.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;

TEST(Layering, EngineHasNoGuiAndQtOnlyInsideIoSources) {
  const fs::path engine = fs::path(ATTNVIZ_SOURCE_DIR) / "engine";
  const std::regex qtInclude(R"(^\s*#\s*include\s*[<"](Q[A-Za-z]*|quazip[^>"]*|Qt[A-Za-z]*/[^>"]*)[>"])");
  const std::regex guiInclude(R"(^\s*#\s*include\s*[<"](QtGui|QtWidgets|QWidget|QImage|QPainter|QColor)[/>"])");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(engine)) {
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cpp") continue;
    ++files;
    const bool ioSource = entry.path().parent_path().filename() == "io" && ext == ".cpp";
    std::ifstream in(entry.path());
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
      const std::string where = entry.path().string() + ":" + std::to_string(lineNo) + ": " + line;
      const bool imageDecoding = ioSource && std::regex_search(line, std::regex(R"(#\s*include\s*<QImage(Reader)?>)"));
      if (!imageDecoding) EXPECT_FALSE(std::regex_search(line, guiInclude)) << "GUI include in the engine: " << where;
      if (!ioSource) EXPECT_FALSE(std::regex_search(line, qtInclude)) << "Qt outside engine/io sources: " << where;
    }
  }
  EXPECT_GT(files, 10);
}
