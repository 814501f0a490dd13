package soak;

class FirstLap extends Soak {
}
