// UTF-8 validation of outside text: well-formed text passes, the first ill-formed byte is reported.
#include <gtest/gtest.h>

#include "engine/core/utf8.h"

using attnviz::firstInvalidUtf8;

TEST(Utf8, WellFormedTextPasses) {
  EXPECT_FALSE(firstInvalidUtf8("plain ascii"));
  EXPECT_FALSE(firstInvalidUtf8("d\xC3\xA9j\xC3\xA0 vu"));             // déjà vu
  EXPECT_FALSE(firstInvalidUtf8("\xE4\xB8\xAD\xE6\x96\x87"));           // 中文
  EXPECT_FALSE(firstInvalidUtf8("\xF0\x9F\x98\x80"));                   // emoji U+1F600
  EXPECT_FALSE(firstInvalidUtf8(""));
}

TEST(Utf8, IllFormedBytesAreFound) {
  EXPECT_EQ(firstInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(firstInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(firstInvalidUtf8("x\xED\xA0\x80"), 1u);     // UTF-16 surrogate
  EXPECT_EQ(firstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(firstInvalidUtf8("ok\xE4\xB8"), 2u);        // truncated sequence
  EXPECT_EQ(firstInvalidUtf8("\x80"), 0u);              // lone continuation byte
}
