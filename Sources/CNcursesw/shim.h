#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/ncurses.h>

/* glibc's module hides wcwidth without _XOPEN_SOURCE. */
extern int wcwidth(wchar_t c);

/* Swift 6 refuses C globals (LINES, COLS, stdscr) as shared mutable state,
   and cannot import function-like macros: wrap what the TUI needs. */
static inline int pythia_lines(void) { return LINES; }
static inline int pythia_cols(void) { return COLS; }
static inline WINDOW *pythia_stdscr(void) { return stdscr; }
static inline int pythia_color_pair(int n) { return COLOR_PAIR(n); }
static inline int pythia_colors(void) { return COLORS; }
static inline int pythia_color_pairs(void) { return COLOR_PAIRS; }
