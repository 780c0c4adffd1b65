package dev.kpat.cli;

public class Main {
    public static void main(String[] args) {
    }
}
