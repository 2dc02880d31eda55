package dev.apilock.spring.testapp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The host application's own entity: a counter that a locked method reads, then writes. */
@Entity
@Table(name = "test_counters")
public class Counter {

    @Id
    @Column(name = "name", length = 64)
    private String name;

    @Column(name = "counter_value", nullable = false)
    private long value;

    @Column(name = "fencing_token", nullable = false)
    private long fencingToken;

    protected Counter() {
    }

    public Counter(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public long getValue() {
        return value;
    }

    public long getFencingToken() {
        return fencingToken;
    }

    public void increment(long fencingToken) {
        this.value++;
        this.fencingToken = fencingToken;
    }
}
