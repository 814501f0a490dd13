package soak;

class SecondLap extends Soak {
}
