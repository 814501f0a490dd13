/** The bare JVM start the benchmark compares against: a main that does nothing. */
public class Empty {
    public static void main(String[] args) {
    }
}
