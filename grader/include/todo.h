/**
 * @file todo.h
 * @brief Marks a task a student has not done yet.
 *
 * Skeletons start every task with `TODO();`. In a grader test the task then
 * fails at once with `not implemented: <function>` (no waiting for a
 * timeout); in a lesson program it prints that line and exits with status 3.
 * Delete the line when you implement the function.
 */
#ifndef SL_TODO_H
#define SL_TODO_H

/** @brief Stops here: the enclosing function is not implemented yet. */
#define TODO() sl_todo(__func__, __FILE__, __LINE__)

/**
 * @brief Reports that @p func is not implemented and ends the test or program.
 *
 * A lesson program prints `not implemented: FUNC (FILE:LINE)` on stderr and
 * exits with status 3: the test that started it then names where the
 * TODO() is, which need not be the program's own file.
 * @param func name of the unimplemented function.
 * @param file the file of its TODO(), or NULL.
 * @param line the line of its TODO().
 */
_Noreturn void sl_todo(const char *func, const char *file, int line);

/**
 * @brief What sl_todo() does inside the grader (set by the grader only).
 *
 * NULL in a lesson program: sl_todo() then prints and exits.
 */
extern void (*sl_todo_hook)(const char *func);

#endif
