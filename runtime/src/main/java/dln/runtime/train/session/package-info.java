/**
 * A model's training session ({@link dln.runtime.train.session.TrainingSession}): compile settings,
 * engine, stop signal, history and fit/evaluate/predict. It sits above {@code train} and
 * {@code train.fast} because it picks the default engine; {@code dln.runtime.nn} knows nothing of it.
 */
package dln.runtime.train.session;
