// The engine stays free of GUI code: no widgets or painting anywhere in engine/, and Qt headers (QtCore,
// QuaZip, and QImage/QImageReader for decoding image files) only inside engine/io/*.cpp, never in a header.
// The UI and the CLI use only the engine's public headers (engine/public_headers.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

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

// ui/ and app/ include only the engine headers engine/public_headers.txt lists (a path, or a folder's "*.h").
TEST(Layering, UiAndAppIncludeOnlyPublicEngineHeaders) {
  const fs::path root(ATTNVIZ_SOURCE_DIR);
  std::ifstream list(root / "engine" / "public_headers.txt");
  ASSERT_TRUE(list) << "engine/public_headers.txt is missing";
  std::vector<std::string> publicPaths, publicFolders;
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line.front() == '#') continue;
    if (line.ends_with("/*.h")) publicFolders.push_back(line.substr(0, line.size() - 3));  // "engine/api/"
    else publicPaths.push_back(line);
  }
  ASSERT_FALSE(publicPaths.empty() && publicFolders.empty());
  for (const std::string& folder : publicFolders) EXPECT_TRUE(fs::is_directory(root / folder)) << folder;
  for (const std::string& path : publicPaths) EXPECT_TRUE(fs::is_regular_file(root / path)) << path;

  const std::regex engineInclude(R"re(^\s*#\s*include\s*"(engine/[^"]+)")re");
  int includes = 0;
  for (const char* folder : {"ui", "app"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const auto ext = entry.path().extension();
      if (ext != ".h" && ext != ".cpp") continue;
      std::ifstream in(entry.path());
      std::string line;
      for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        std::smatch m;
        if (!std::regex_search(line, m, engineInclude)) continue;
        ++includes;
        const std::string header = m[1];
        const bool inFolder = std::any_of(publicFolders.begin(), publicFolders.end(), [&](const std::string& f) {
          return header.starts_with(f) && header.find('/', f.size()) == std::string::npos;
        });
        const bool listed = std::find(publicPaths.begin(), publicPaths.end(), header) != publicPaths.end();
        EXPECT_TRUE(inFolder || listed) << "an internal engine header outside the engine: "
                                        << fs::relative(entry.path(), root).string() << ":" << lineNo << ": " << line
                                        << "\n  use the public API (engine/public_headers.txt) or make the header public there";
      }
    }
  }
  EXPECT_GT(includes, 20);
}
