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
static inline int pythia_colors(void) { return COLORS; }

/* Attribute and mouse macros take arguments, so Swift cannot import them. */
static inline attr_t pythia_a_normal(void) { return A_NORMAL; }
static inline attr_t pythia_a_bold(void) { return A_BOLD; }
static inline attr_t pythia_a_dim(void) { return A_DIM; }
static inline attr_t pythia_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pythia_a_reverse(void) { return A_REVERSE; }
static inline attr_t pythia_a_italic(void) { return A_ITALIC; }
static inline mmask_t pythia_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t pythia_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t pythia_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t pythia_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t pythia_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int pythia_key_code_yes(void) { return KEY_CODE_YES; }
