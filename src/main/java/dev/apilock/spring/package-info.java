/**
 * Spring integration. Optional: nothing here is loaded unless spring-tx is on the class path.
 * Arguments and results are non-null unless documented otherwise.
 */
package dev.apilock.spring;
