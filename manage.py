#!/usr/bin/env python
from wadul.cli import main

if __name__ == "__main__":
    main()
