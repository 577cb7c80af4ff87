/**
 * Parsing of what an operator types (times, durations, targets, id ranges, payloads, recurrence
 * values), and the human-readable output of dispatches. Private to the shell bundle, whose Gogo
 * commands use it; {@code dispatch-cli} embeds its own copy (the CLI's shade filter), so the two
 * read and print alike without the package being an API of either.
 */
package io.microgrid.dispatch.shell.text;
