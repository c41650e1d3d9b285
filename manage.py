#!/usr/bin/env python
from rms.manage import main

if __name__ == "__main__":
    main()
