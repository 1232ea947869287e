// libedit's own interface (Debian: libedit-dev). Its el_set, el_get and history take
// variable arguments, which Swift cannot call: the small functions below call them
// with fixed ones.
#include <stdio.h>
#include <wchar.h>
#include <locale.h>
#include <histedit.h>

typedef char *(*tks_prompt_fn)(EditLine *);
typedef unsigned char (*tks_key_fn)(EditLine *, int);

static inline int tks_el_set_prompt(EditLine *e, tks_prompt_fn f) { return el_set(e, EL_PROMPT, f); }
static inline int tks_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int tks_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int tks_el_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int tks_el_add_function(EditLine *e, const char *name, const char *help, tks_key_fn f) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int tks_el_bind(EditLine *e, const char *keys, const char *function) {
    return el_set(e, EL_BIND, keys, function, NULL);
}
static inline int tks_el_set_client(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
static inline void *tks_el_client(EditLine *e) {
    void *data = NULL;
    el_get(e, EL_CLIENTDATA, &data);
    return data;
}

static inline History *tks_history_init(int size) {
    History *h = history_init();
    HistEvent ev;
    if (h) { history(h, &ev, H_SETSIZE, size); history(h, &ev, H_SETUNIQUE, 1); }
    return h;
}
static inline int tks_history_enter(History *h, const char *entry) { HistEvent ev; return history(h, &ev, H_ENTER, entry); }
static inline int tks_history_load(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_LOAD, file); }
static inline int tks_history_save(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_SAVE, file); }
